"""`hrgraph synth`: a deterministic, realistic graph in the project's ontology, valid under shapes/.

Persons with recognitions, charges and detentions; the joint statements naming them (25 persons each) with
a demand and, for every fifth, a submission to a UN mechanism; organisations, courts, penal colonies,
places, mechanisms and Criminal Code articles. Every claim and event carries prov:wasDerivedFrom, hr:statedIn
and an evidence annotation whose TextQuoteSelector quote occurs verbatim, at its TextPositionSelector offsets,
in a generated source document (written beside the graph, one text file per statement).

N-Triples are written directly as text (no rdflib graph): about 100 triples per person, so 10,000 persons
give about 1M triples. The same (N, seed) gives byte-identical output.
"""

from __future__ import annotations

import gzip
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from hrgraph.model.namespaces import CANONICAL_BASE, Iris

HR = CANONICAL_BASE + "ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ELI = "http://data.europa.eu/eli/ontology#"
VOCAB = CANONICAL_BASE + "vocab/"
PERSONS_PER_STATEMENT = 25

FIRST = ("Ales", "Maryia", "Ihar", "Volha", "Siarhei", "Palina", "Mikalai", "Nasta", "Andrei", "Iryna", "Dzmitry",
         "Katsiaryna", "Pavel", "Ksenia", "Uladzimir", "Hanna", "Aliaksandr", "Tatsiana", "Viktar", "Alena",
         "Yauhen", "Natallia", "Raman", "Darya", "Maksim", "Liudmila", "Artsiom", "Yulia", "Vital", "Sviatlana")
LAST = ("Bialiatski", "Kalesnikava", "Losik", "Stefanovich", "Labkovich", "Babaryka", "Tsikhanouski", "Znak",
        "Kaliada", "Sapeha", "Statkevich", "Ihnatovich", "Rabkou", "Pazniak", "Hanchar", "Lapteu", "Chernysh",
        "Sheremet", "Krasouski", "Zhuk", "Mikhalevich", "Dashkevich", "Kavalenka", "Marozau", "Niakliaeu",
        "Yarash", "Savitski", "Bahdanovich", "Kupala", "Kolas", "Tarasevich", "Lukashuk", "Novik", "Prakopovich")
CITIES = ("Minsk", "Homiel", "Mahilou", "Viciebsk", "Hrodna", "Brest", "Babrujsk", "Baranavichy", "Pinsk", "Orsha")
ARTICLES = (("130", "incitement to hatred"), ("342", "organising or participating in actions that grossly violate "
            "public order"), ("361-1", "creating or participating in an extremist formation"), ("368", "insulting "
            "the President"), ("369", "insulting a representative of the authorities"), ("364", "violence against "
            "a police officer"), ("293", "mass riots"), ("361", "calls to action against national security"),
            ("356", "treason"), ("243", "tax evasion"), ("411", "malicious disobedience to the administration of a "
            "correctional institution"), ("191", "obstructing the exercise of electoral rights"))
# Keys prefixed `synth-`: a synthetic graph built beside the curated data (`build --input`) must not redefine the
# curated organisations and mechanisms (a second label or kind would be held back by the gate).
HROS = (("synth-viasna", "Human Rights Center \"Viasna\" (synthetic)"),
        ("synth-bhc", "Belarusian Helsinki Committee (synthetic)"), ("synth-pen-belarus", "PEN Belarus (synthetic)"),
        ("synth-baj", "Belarusian Association of Journalists (synthetic)"), ("synth-lawtrend", "Lawtrend (synthetic)"),
        ("synth-human-constanta", "Human Constanta (synthetic)"))
MECHANISMS = (("synth-sr-belarus", "UN Special Rapporteur on the situation of human rights in Belarus (synthetic)",
               "country-mandate"),
              ("synth-wgad", "UN Working Group on Arbitrary Detention (synthetic)", "working-group"),
              ("synth-hrc", "UN Human Rights Council (synthetic)", "charter-body"),
              ("synth-hrcttee", "UN Human Rights Committee (synthetic)", "treaty-body"),
              ("synth-osce-moscow", "OSCE Moscow Mechanism (synthetic)", "osce-mechanism"))
CRITERIA = ("3.1-a", "3.1-b", "3.1-c", "not-stated")
SENTENCES = ("three years in a general-security colony", "five years in a high-security colony",
             "ten years in a high-security colony", "two years of restricted freedom", "fifteen years in prison")


def iri(term: str) -> str:
    return f"<{term}>"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f'"{_escape(text)}"@{lang}'
    if datatype:
        return f'"{_escape(text)}"^^<{datatype}>'
    return f'"{_escape(text)}"'


def en(text: str) -> str:
    return lit(text, lang="en")


@dataclass
class Doc:
    """A generated source document: sentences appended one at a time, so each quote's offsets are known."""

    file: str
    parts: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, sentence: str) -> tuple[int, int]:
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return start, start + len(sentence)

    @property
    def text(self) -> str:
        return "".join(self.parts)


class Writer:
    """Streams N-Triples lines; materialises the superclass types of every rdf:type it writes."""

    def __init__(self, out: IO[str], closure: dict[str, list[str]]) -> None:
        self.out = out
        self.closure = closure
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"<{s}> <{p}> {o} .\n")
        self.count += 1

    def typed(self, s: str, cls: str) -> None:
        for c in (cls, *self.closure.get(cls, ())):
            self.t(s, RDF_TYPE, iri(c))

    def labelled(self, s: str, cls: str, label: str) -> None:
        self.typed(s, cls)
        self.t(s, RDFS + "label", en(label))
        self.t(s, SKOS + "prefLabel", en(label))


def ontology_closure(ontology_file: Path) -> dict[str, list[str]]:
    """Superclasses of every class of the ontology, as the build's `reason` step materialises them."""
    from rdflib import Graph

    from hrgraph.pipeline.reason import superclasses

    graph = Graph().parse(ontology_file, format="turtle")
    return {str(c): [str(s) for s in sups] for c, sups in superclasses(graph).items()}


@dataclass
class Fixed:
    """The resources every person's claims point at: organisations, courts, colonies, places, articles."""

    hros: list[str]
    courts: list[str]
    colonies: list[str]
    articles: list[str]
    mechanisms: list[str]
    names: dict[str, str]


def _fixed(w: Writer, iris: Iris) -> Fixed:
    def rec(kind: str, key: str) -> str:
        return str(iris.record(kind, key))

    names: dict[str, str] = {}
    country = rec("places", "belarus")
    w.labelled(country, HR + "Place", "Belarus")
    w.t(country, HR + "placeKind", lit("country"))
    hros = []
    for key, name in HROS:
        hros.append(rec("organisations", key))
        w.labelled(hros[-1], HR + "HumanRightsOrganisation", name)
    courts, colonies = [], []
    for n, city in enumerate(CITIES):
        place = rec("places", city.lower())
        w.labelled(place, HR + "Place", city)
        w.t(place, HR + "locatedIn", iri(country))
        w.t(place, HR + "placeKind", lit("city"))
        for kind, cls, name in (("court", "Court", f"{city} Regional Court"),
                                ("colony", "PenalInstitution", f"Penal Colony No. {n + 1}, {city}")):
            key = f"{city.lower()}-{kind}"
            org = rec("organisations", key)
            w.labelled(org, HR + cls, name)
            names[org] = name
            (courts if kind == "court" else colonies).append(org)
    code = str(iris.instrument("by-cc-synth"))
    w.labelled(code, HR + "Code", "Criminal Code of Belarus (synthetic)")
    w.t(code, ELI + "title", en("Criminal Code of Belarus (synthetic)"))
    articles = []
    for number, subject in ARTICLES:
        art = str(iris.provision("by-cc-synth", number))
        w.labelled(art, HR + "LegalProvision", f"Criminal Code of Belarus, Article {number}")
        w.t(art, ELI + "number", lit(number))
        w.t(art, ELI + "is_part_of", iri(code))
        w.t(art, HR + "subject", en(subject))
        names[art] = number
        articles.append(art)
    mechanisms = []
    for key, name, kind in MECHANISMS:
        mechanisms.append(rec("mechanisms", key))
        w.labelled(mechanisms[-1], HR + "Mechanism", name)
        w.t(mechanisms[-1], HR + "mechanismKind", iri(f"{VOCAB}mechanism-kind/{kind}"))
    names.update({h: name for h, (_, name) in zip(hros, HROS, strict=True)})
    return Fixed(hros, courts, colonies, articles, mechanisms, names)


def _evidence(w: Writer, iris: Iris, claim: str, source: str, doc: Doc, sentence: str) -> None:
    """The claim's provenance: wasDerivedFrom + an annotation whose quote is the sentence just added to `doc`."""
    start, end = doc.add(sentence)
    text = doc.text
    ann = str(iris.evidence(claim, 1))  # type: ignore[arg-type]
    target, quote, position = ann + "#target", ann + "#quote", ann + "#position"
    w.t(claim, PROV + "wasDerivedFrom", iri(source))
    w.t(claim, HR + "hasEvidence", iri(ann))
    w.typed(ann, OA + "Annotation")
    w.t(ann, RDFS + "label", en(f"Evidence: “{sentence}”"))
    w.t(ann, OA + "motivatedBy", iri(OA + "describing"))
    w.t(ann, OA + "hasBody", iri(claim))
    w.t(ann, OA + "hasTarget", iri(target))
    w.t(target, RDF_TYPE, iri(OA + "SpecificResource"))
    w.t(target, RDFS + "label", en(f"Characters {start}–{end} of {doc.file}"))
    w.t(target, OA + "hasSource", iri(source))
    w.t(target, OA + "hasSelector", iri(quote))
    w.t(target, OA + "hasSelector", iri(position))
    w.typed(quote, OA + "TextQuoteSelector")
    w.t(quote, RDFS + "label", en(f"Quote: “{sentence}”"))
    w.t(quote, OA + "exact", lit(sentence))
    w.t(quote, OA + "prefix", lit(text[max(0, start - 32):start]))
    w.typed(position, OA + "TextPositionSelector")
    w.t(position, RDFS + "label", en(f"Characters {start}–{end}"))
    w.t(position, OA + "start", lit(str(start), datatype=XSD + "nonNegativeInteger"))
    w.t(position, OA + "end", lit(str(end), datatype=XSD + "nonNegativeInteger"))


@dataclass
class Ctx:
    w: Writer
    iris: Iris
    rnd: random.Random
    fixed: Fixed
    statement: str
    source: str
    doc: Doc
    org: str

    def claim(self, kind: str, key: str, cls: str, label: str, sentence: str, date: str) -> str:
        s = str(self.iris.claim(kind, key)) if kind != "event" else str(self.iris.record("events", key))
        self.w.labelled(s, HR + cls, label)
        self.w.t(s, HR + "statedIn", iri(self.statement))
        self.w.t(s, HR + "date", lit(date, datatype=XSD + "date"))
        _evidence(self.w, self.iris, s, self.source, self.doc, sentence)
        return s


def _date(rnd: random.Random) -> str:
    return f"{rnd.randint(2020, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"


def _person(c: Ctx, n: int) -> str:
    w, rnd, f = c.w, c.rnd, c.fixed
    name = f"{FIRST[n % len(FIRST)]} {LAST[(n // len(FIRST) + n) % len(LAST)]}"
    key = f"p{n:06d}"
    person = str(c.iris.record("persons", key))
    w.labelled(person, HR + "Person", name)
    w.t(person, SKOS + "altLabel", en(f"{name.split()[1]}, {name.split()[0]} (no. {n})"))
    w.t(c.statement, HR + "mentions", iri(person))
    org = f.hros[n % len(f.hros)]
    rec = c.claim("recognition", f"rec-{key}", "Recognition", f"Recognition of {name} as political prisoner",
                  f"{f.names[org]} recognised {name} (no. {n}) as a political prisoner.", _date(rnd))
    w.t(rec, HR + "person", iri(person))
    w.t(rec, HR + "recognisedBy", iri(org))
    w.t(rec, HR + "criterion", iri(f"{VOCAB}pp-guidelines-2013/{CRITERIA[n % len(CRITERIA)]}"))
    w.t(person, HR + "recognisedAsPoliticalPrisoner", iri(rec))
    for k in range(1 + (rnd.random() < 0.3)):
        art, court = rnd.choice(f.articles), rnd.choice(f.courts)
        sentence = rnd.choice(SENTENCES)
        chg = c.claim("charge", f"chg-{key}-{k + 1}", "Charge", f"Charge against {name} under Article {f.names[art]}",
                      f"{name} (no. {n}) was sentenced by the {f.names[court]} under Article {f.names[art]} of the "
                      f"Criminal Code to {sentence}.", _date(rnd))
        w.t(chg, HR + "person", iri(person))
        w.t(chg, HR + "provision", iri(art))
        w.t(chg, HR + "court", iri(court))
        w.t(chg, HR + "sentence", en(sentence))
    if rnd.random() < 0.6:
        colony = rnd.choice(f.colonies)
        ev = c.claim("event", f"detention-{key}", "Detention", f"Detention of {name}",
                     f"{name} (no. {n}) is held in {f.names[colony]}.", _date(rnd))
        w.t(ev, HR + "person", iri(person))
        w.t(ev, HR + "organisation", iri(colony))
        w.t(ev, HR + "eventKind", iri(f"{VOCAB}event-kind/detention"))
    return person


def _statement(w: Writer, iris: Iris, rnd: random.Random, f: Fixed, j: int, persons: range,
               write_doc: Callable[[Doc], str]) -> None:
    key = f"synth-{j:05d}"
    statement, source = str(iris.record("statements", key)), str(iris.record("sources", key))
    doc = Doc(f"{key}.txt")
    org = f.hros[j % len(f.hros)]
    doc.add(f"Joint statement no. {j} of Belarusian human rights organisations.")
    c = Ctx(w, iris, rnd, f, statement, source, doc, org)
    people = [_person(c, n) for n in persons]
    dem = c.claim("demand", f"dem-{key}", "Demand", f"Demand (release) — statement {j}",
                  f"We demand the immediate release of the {len(people)} persons named in statement no. {j}.",
                  _date(rnd))
    w.t(dem, HR + "demandType", iri(f"{VOCAB}demand-type/release"))
    w.t(dem, HR + "demandedBy", iri(org))
    for p in people:
        w.t(dem, HR + "person", iri(p))
    date = _date(rnd)
    if j % 5 == 0:
        mech = f.mechanisms[j // 5 % len(f.mechanisms)]
        sub = c.claim("submission", f"sub-{key}", "Submission", f"Submission of statement {j}",
                      f"This statement no. {j} is submitted to the United Nations.", date)
        w.t(sub, HR + "addressedTo", iri(mech))
        w.t(sub, HR + "submittedBy", iri(org))
        w.t(statement, HR + "addressedTo", iri(mech))
    title = f"Joint statement no. {j} on {len(people)} political prisoners"
    w.labelled(statement, HR + "JointStatement", title)
    w.t(statement, DCT + "title", en(title))
    w.t(statement, HR + "statementKind", iri(f"{VOCAB}statement-kind/joint-statement"))
    w.t(statement, HR + "publishedBy", iri(org))
    w.t(statement, HR + "date", lit(date, datatype=XSD + "date"))
    w.t(statement, DCT + "issued", lit(date + "T12:00:00Z", datatype=XSD + "dateTime"))
    w.t(statement, DCT + "language", lit("en"))
    w.t(statement, PROV + "wasDerivedFrom", iri(source))
    sha = write_doc(doc)
    w.labelled(source, HR + "SourceDocument", f"Source document {doc.file}")
    w.t(source, DCT + "identifier", lit(doc.file))
    w.t(source, DCT + "format", lit("text/plain"))
    w.t(source, HR + "sha256", lit(sha))
    w.t(source, HR + "characters", lit(str(doc.length), datatype=XSD + "integer"))
    w.t(source, DCT + "source", iri(f"https://example.org/synthetic/{doc.file}"))


@contextmanager
def _open_out(path: Path) -> Iterator[IO[str]]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1, newline="\n") as fh:
            yield fh
    else:
        with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as fh:
            yield fh


def sources_dir_for(out: Path) -> Path:
    """Where the generated source documents go: `<out without suffixes>-sources/` beside the graph."""
    return out.with_name(out.name.split(".", 1)[0] + "-sources")


def synth(persons: int, out: Path, seed: int = 0, ontology_file: Path | None = None, base: str = CANONICAL_BASE,
          sources: Path | None = None) -> int:
    """Write the graph to `out` (.nt or .nt.gz) and the source documents to `sources`; returns the triple count."""
    ontology_file = ontology_file or Path(__file__).resolve().parents[3] / "ontology" / "hrgraph.ttl"
    sources = sources or sources_dir_for(out)
    sources.mkdir(parents=True, exist_ok=True)
    rnd, iris = random.Random(seed), Iris(base)

    def write_doc(doc: Doc) -> str:
        data = doc.text.encode("utf-8")
        (sources / doc.file).write_bytes(data)
        return hashlib.sha256(data).hexdigest()

    with _open_out(out) as fh:
        w = Writer(fh, ontology_closure(ontology_file))
        fixed = _fixed(w, iris)
        for j, first in enumerate(range(0, persons, PERSONS_PER_STATEMENT)):
            _statement(w, iris, rnd, fixed, j, range(first, min(first + PERSONS_PER_STATEMENT, persons)), write_doc)
    return w.count
