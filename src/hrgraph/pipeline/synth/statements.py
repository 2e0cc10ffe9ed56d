"""One synthetic statement: the persons it names with their recognitions, charges and events, and what the
statement itself claims (co-signatures, demands, a submission to a mechanism, a statistic, a liquidation).

Proportions (per person, decided from the curated data and Viasna's public counts; see `synth` docstring):
recognised 100 % — 61 % current, 38 % former (hr:former true), 1 in 300 died in custody; charged 100 %
(30 % twice, 1 in 10 under the administrative code, 1 in 10 charged but not yet convicted); held in a colony
60 % of the current; a trial event 15 %, an arrest 10 %, a release event for a third of the former. Every
claim and event carries evidence. The claims of news items (15 % of statements) were made by the extractor
and accepted by a curator (1 in 7 edited): prov:wasGeneratedBy its activity, hr:confidence, hr:reviewStatus.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from hrgraph.pipeline.synth.world import RULES, World
from hrgraph.pipeline.synth.writer import DC, PV, SK, Doc, H, Quote, Writer, concept, en, iri, lit

PERSONS_PER_STATEMENT = 25
FIRST = ("Ales", "Maryia", "Ihar", "Volha", "Siarhei", "Palina", "Mikalai", "Nasta", "Andrei", "Iryna", "Dzmitry",
         "Katsiaryna", "Pavel", "Ksenia", "Uladzimir", "Hanna", "Aliaksandr", "Tatsiana", "Viktar", "Alena",
         "Yauhen", "Natallia", "Raman", "Darya", "Maksim", "Liudmila", "Artsiom", "Yulia", "Vital", "Sviatlana")
LAST = ("Bialiatski", "Kalesnikava", "Losik", "Stefanovich", "Labkovich", "Babaryka", "Tsikhanouski", "Znak",
        "Kaliada", "Sapeha", "Statkevich", "Ihnatovich", "Rabkou", "Pazniak", "Hanchar", "Lapteu", "Chernysh",
        "Sheremet", "Krasouski", "Zhuk", "Mikhalevich", "Dashkevich", "Kavalenka", "Marozau", "Niakliaeu",
        "Yarash", "Savitski", "Bahdanovich", "Kupala", "Kolas", "Tarasevich", "Lukashuk", "Novik", "Prakopovich")
CRITERIA = ("3.1-a", "3.1-b", "3.1-c", "not-stated")
SENTENCES = ("three years in a general-security colony", "five years in a high-security colony",
             "ten years in a high-security colony", "two years of restricted freedom", "fifteen years in prison")
# (class, statement-kind concept) by statement number mod 20: 60 % joint statements, 15 % reports, 15 % news,
# an interview and a speech; every kind within the first eight statements (a graph of 200 persons has them all)
_KIND = {"J": ("JointStatement", "joint-statement"), "R": ("Report", "report"), "N": ("NewsItem", "news-item"),
         "I": ("Interview", "interview"), "S": ("Speech", "speech")}
KINDS = tuple(_KIND[k] for k in "JRNIJSJJRJNJJRJNJJJJ")
DEMAND_TYPES = ("release", "rehabilitation", "investigation", "retrial", "reversal-of-sentence", "compensation",
                "case-review", "cessation-of-persecution", "end-of-repression", "decriminalisation",
                "establish-mechanism")
QUALIFIERS = ("exactly", "at-least", "more-than", "about")


def status(n: int) -> str:
    """current, former or died-in-custody: the same for person n in every graph, whatever its size."""
    if n % 300 == 3:
        return "died"
    return "former" if n % 100 < 38 else "current"


def date(rnd: random.Random) -> str:
    return f"{rnd.randint(2020, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


@dataclass
class Statement:
    """One statement being written: its IRI, document, publisher and the evidence still to be written."""

    w: Writer
    world: World
    rnd: random.Random
    j: int
    iri: str
    source: str
    doc: Doc
    publisher: str
    signatories: list[str]
    extracted: bool = False  # its claims were made by the extractor and reviewed
    quotes: list[Quote] = field(default_factory=list)

    def claim(self, kind: str, key: str, cls: str, label: str, sentence: str) -> str:
        """A claim or event stated here (record kind "event" for events), with its quote in the document."""
        s = iri(self.w.iris.record("events", key) if kind == "event" else self.w.iris.claim(kind, key))
        self.w.labelled(s, cls, label)
        self.w.t(s, H.statedIn, self.iri)
        self.w.t(s, H.date, lit(date(self.rnd), datatype="date"))
        if self.extracted:
            self.w.t(s, PV.wasGeneratedBy, self.world.activities[RULES[kind]])
            self.w.t(s, H.confidence, lit("0.9", datatype="decimal"))
            review = "edited" if len(self.quotes) % 7 == 3 else "accepted"
            self.w.t(s, H.reviewStatus, concept("review-status", review))
            self.w.t(s, H.reviewedAt, lit(f"{date(self.rnd)}T09:30:00Z", datatype="dateTime"))
        start, end = self.doc.add(sentence)
        self.quotes.append(Quote(s, start, end))
        return s

    def event(self, key: str, cls: str, kind: str, label: str, sentence: str, person: str, org: str | None) -> None:
        ev = self.claim("event", key, cls, label, sentence)
        self.w.t(ev, H.person, person)
        self.w.t(ev, H.eventKind, concept("event-kind", kind))
        if org:
            self.w.t(ev, H.organisation, org)
            self.w.t(ev, H.place, self.world.place_of[org])


def person(st: Statement, n: int) -> tuple[str, str]:
    """Person n, recognised in this statement, with their charges and events; returns (IRI, status)."""
    w, world = st.w, st.world
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST) + n) % len(LAST)]}"
    key, state = f"p{n:06d}", status(n)
    p = iri(w.iris.record("persons", key))
    w.labelled(p, H.Person, name)
    w.t(p, SK.altLabel, en(f"{name.split()[1]}, {name.split()[0]} (no. {n})"))
    w.t(st.iri, H.mentions, p)
    by = " and ".join(world.names[o] for o in st.signatories)
    former = "former " if state == "former" else ""
    rec = st.claim("recognition", f"rec-{key}", H.Recognition, f"Recognition of {name} as {former}political prisoner",
                   f"{by} recognised {name} (no. {n}) as a {former}political prisoner.")
    w.t(rec, H.person, p)
    for org in st.signatories:
        w.t(rec, H.recognisedBy, org)
    w.t(rec, H.criterion, concept("pp-guidelines-2013", CRITERIA[n % len(CRITERIA)]))
    if state == "former":
        w.t(rec, H.former, lit("true", datatype="boolean"))
    w.t(rec, H.recognitionStatus, lit("deceased" if state == "died" else state))
    w.t(p, H.recognisedAsPoliticalPrisoner, rec)
    _charges(st, n, name, key, p)
    _events(st, n, name, key, p, state)
    return p, state


def _charges(st: Statement, n: int, name: str, key: str, p: str) -> None:
    w, rnd, world = st.w, st.rnd, st.world
    for k in range(1 + (rnd.random() < 0.3)):
        admin = n % 10 == 7 and k == 0
        art = rnd.choice(world.admin_articles if admin else world.articles)
        court, sentence = rnd.choice(world.courts), rnd.choice(SENTENCES)
        label = f"Charge against {name} under Article {world.names[art]}"
        if n % 10 == 4 and k == 0:  # charged, awaiting trial
            chg = st.claim("charge", f"chg-{key}-{k + 1}", H.Charge, label, f"{name} (no. {n}) is charged under "
                           f"Article {world.names[art]}.")
            w.t(chg, H.chargeStage, lit("charged"))
        else:
            chg = st.claim("charge", f"chg-{key}-{k + 1}", H.Charge, label, f"{name} (no. {n}) was sentenced by the "
                           f"{world.names[court]} under Article {world.names[art]} to {sentence}.")
            w.t(chg, H.chargeStage, lit("convicted"))
            w.t(chg, H.court, court)
            w.t(chg, H.sentence, en(sentence))
        w.t(chg, H.person, p)
        w.t(chg, H.provision, art)


def _events(st: Statement, n: int, name: str, key: str, p: str, state: str) -> None:
    rnd, world = st.rnd, st.world
    colony = rnd.choice(world.colonies)
    if state == "died":
        st.event(f"death-{key}", H.DeathInCustody, "death-in-custody", f"Death of {name} in custody",
                 f"{name} (no. {n}) died in custody in {world.names[colony]}.", p, colony)
    elif state == "current" and rnd.random() < 0.6:
        st.event(f"detention-{key}", H.Detention, "detention", f"Detention of {name}",
                 f"{name} (no. {n}) is held in {world.names[colony]}.", p, colony)
    if rnd.random() < 0.15:
        court = rnd.choice(world.courts)
        st.event(f"trial-{key}", H.Trial, "trial", f"Trial of {name}",
                 f"The trial of {name} (no. {n}) took place at the {world.names[court]}.", p, court)
    if rnd.random() < 0.1:
        st.event(f"arrest-{key}", H.Event, "arrest", f"Arrest of {name}", f"{name} (no. {n}) was arrested.", p, None)
    if state == "former" and n % 3 == 0:
        st.event(f"release-{key}", H.Event, "release", f"Release of {name}",
                 f"{name} (no. {n}) was released after serving the sentence.", p, None)


def statement(w: Writer, world: World, rnd: random.Random, j: int, persons: range,
              write_doc: Callable[[Doc], str]) -> None:
    key = f"synth-{j:05d}"
    cls, kind = KINDS[j % len(KINDS)]
    publisher = world.hros[j % len(world.hros)] if cls != "NewsItem" else world.media[j % len(world.media)]
    joint = cls == "JointStatement"
    pool = world.hros + world.associations
    signatories = [pool[(j + 2 * k) % len(pool)] for k in range(2 + j % 4)] if joint else [world.hros[j % 6]]
    st = Statement(w, world, rnd, j, iri(w.iris.record("statements", key)), iri(w.iris.record("sources", key)),
                   Doc(f"{key}.txt"), publisher, signatories, extracted=cls == "NewsItem")
    st.doc.add(f"Statement no. {j} of Belarusian human rights organisations.")
    named = [person(st, n) for n in persons]
    if joint:
        sig = st.claim("signature", f"sig-{key}", H.Signature, f"Signatories of statement {j}",
                       f"Statement no. {j} is signed by {', '.join(world.names[o] for o in signatories)}.")
        for org in signatories:
            w.t(sig, H.signatory, org)
    _demands(st, named)
    _statement_claims(st, cls)
    _describe(st, cls, kind, len(named), write_doc)


def _demands(st: Statement, named: list[tuple[str, str]]) -> None:
    """Release for the current, rehabilitation for the former, and one more type in turn: every type occurs."""
    j = st.j
    groups = [("release", [p for p, s in named if s == "current"]), ("rehabilitation", [p for p, s in named
                                                                                       if s == "former"])]
    groups.append((DEMAND_TYPES[2 + j % (len(DEMAND_TYPES) - 2)], [p for p, _ in named]))
    for demand_type, people in groups:
        if not people:
            continue
        what = demand_type.replace("-", " ")
        dem = st.claim("demand", f"dem-{demand_type}-synth-{j:05d}", H.Demand, f"Demand ({what}) — statement {j}",
                       f"We demand the {what} of the {len(people)} persons named in statement no. {j}.")
        st.w.t(dem, H.demandType, concept("demand-type", demand_type))
        for org in st.signatories:
            st.w.t(dem, H.demandedBy, org)
        for p in people:
            st.w.t(dem, H.person, p)


def _statement_claims(st: Statement, cls: str) -> None:
    w, world, j = st.w, st.world, st.j
    if j % 5 == 0:
        mech = world.mechanisms[j // 5 % len(world.mechanisms)]
        sub = st.claim("submission", f"sub-synth-{j:05d}", H.Submission, f"Submission of statement {j}",
                       f"Statement no. {j} is submitted to the {world.names[mech]}.")
        w.t(sub, H.addressedTo, mech)
        w.t(sub, H.submittedBy, st.publisher)
        w.t(st.iri, H.addressedTo, mech)
    if cls == "Report":
        qualifier, value = QUALIFIERS[j % len(QUALIFIERS)], 1000 + 7 * j
        stat = st.claim("statistic", f"stat-synth-{j:05d}", H.StatisticalClaim, f"Statistic: {qualifier} {value} "
                        "political prisoners", f"Report no. {j} counts {qualifier.replace('-', ' ')} {value} "
                        "political prisoners.")
        w.t(stat, H.statisticValue, lit(str(value), datatype="integer"))
        w.t(stat, H.qualifier, lit(qualifier))
        w.t(stat, H.statisticOf, en("political prisoners"))
    if j % 10 == 9:
        org = (world.associations + world.media)[j // 10 % (len(world.associations) + len(world.media))]
        liq = st.claim("event", f"liquidation-synth-{j:05d}", H.Liquidation, f"Liquidation of {world.names[org]}",
                       f"The authorities liquidated {world.names[org]} (statement no. {j}).")
        w.t(liq, H.organisation, org)
        w.t(liq, H.eventKind, concept("event-kind", "liquidation"))


def _describe(st: Statement, cls: str, kind: str, people: int, write_doc: Callable[[Doc], str]) -> None:
    """The statement and its source document, once the document's text is complete."""
    w, j = st.w, st.j
    title = f"Statement no. {j} on {people} political prisoners"
    w.labelled(st.iri, getattr(H, cls), title)
    w.t(st.iri, DC.title, en(title))
    w.t(st.iri, H.statementKind, concept("statement-kind", kind))
    w.t(st.iri, H.publishedBy, st.publisher)
    day = date(st.rnd)
    w.t(st.iri, H.date, lit(day, datatype="date"))
    w.t(st.iri, DC.issued, lit(day + "T12:00:00Z", datatype="dateTime"))
    w.t(st.iri, DC.language, lit("en"))
    w.t(st.iri, PV.wasDerivedFrom, st.source)
    w.evidence(st.doc, st.source, st.quotes)
    sha = write_doc(st.doc)
    w.labelled(st.source, H.SourceDocument, f"Source document {st.doc.file}")
    w.t(st.source, DC.identifier, lit(st.doc.file))
    w.t(st.source, DC.format, lit("text/plain"))
    w.t(st.source, H.sha256, lit(sha))
    w.t(st.source, H.characters, lit(str(st.doc.length), datatype="integer"))
    w.t(st.source, DC.source, iri(f"https://example.org/synthetic/{st.doc.file}"))
