"""The resources every synthetic statement points at: organisations of every kind, places, legislation of
every kind with its provisions, and the international mechanisms with their parent bodies and sessions.

Keys are prefixed `synth-`: a synthetic graph built beside the curated data (`build --input`) must not
redefine the curated records (a second label or kind would be held back by the gate).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrgraph.pipeline.emit import activity_triples, extraction_activity
from hrgraph.pipeline.ntriples import nt_term
from hrgraph.pipeline.resolve import Index
from hrgraph.pipeline.synth.writer import DC, SK, E, H, Writer, concept, en, iri, lit

CITIES = ("Minsk", "Homiel", "Mahilou", "Viciebsk", "Hrodna", "Brest", "Babrujsk", "Baranavichy", "Pinsk", "Orsha")
HROS = (("synth-viasna", "Human Rights Center \"Viasna\" (synthetic)"),
        ("synth-bhc", "Belarusian Helsinki Committee (synthetic)"), ("synth-pen-belarus", "PEN Belarus (synthetic)"),
        ("synth-baj", "Belarusian Association of Journalists (synthetic)"), ("synth-lawtrend", "Lawtrend (synthetic)"),
        ("synth-human-constanta", "Human Constanta (synthetic)"))
OTHER_ORGS = (  # (key, class, name): the kinds of organisation the statements name besides the HROs
    ("synth-writers-union", "Association", "Union of Belarusian Writers (synthetic)"),
    ("synth-green-network", "Association", "Green Network (synthetic)"),
    ("synth-students-association", "Association", "Belarusian Students' Association (synthetic)"),
    ("synth-nasha-niva", "MediaOrganisation", "Nasha Niva (synthetic)"),
    ("synth-tut-by", "MediaOrganisation", "TUT.BY (synthetic)"),
    ("synth-belsat", "MediaOrganisation", "Belsat (synthetic)"),
    ("synth-kgb", "StateBody", "State Security Committee (synthetic)"),
    ("synth-investigative-committee", "StateBody", "Investigative Committee (synthetic)"),
    ("synth-united-nations", "InternationalOrganisation", "United Nations (synthetic)"),
    ("synth-osce", "InternationalOrganisation", "Organization for Security and Co-operation in Europe (synthetic)"),
    ("synth-council-of-europe", "InternationalOrganisation", "Council of Europe (synthetic)"),
)
# (key, class, title, provisions: (number, subject)); the first is the Criminal Code most charges cite
LEGISLATION = (
    ("by-cc-synth", "Code", "Criminal Code of Belarus (synthetic)", (
        ("130", "incitement to hatred"),
        ("342", "organising or participating in actions that grossly violate public order"),
        ("361-1", "creating or participating in an extremist formation"),
        ("368", "insulting the President"), ("369", "insulting a representative of the authorities"),
        ("364", "violence against a police officer"), ("293", "mass riots"),
        ("361", "calls to action against national security"), ("356", "treason"), ("243", "tax evasion"),
        ("411", "malicious disobedience to the administration of a correctional institution"),
        ("191", "obstructing the exercise of electoral rights"))),
    ("by-coao-synth", "Code", "Code of Administrative Offences of Belarus (synthetic)", (
        ("19.11", "distributing extremist materials"), ("24.23", "violating the order of mass events"))),
    ("by-extremism-law-synth", "Law", "Law on Countering Extremism (synthetic)", (("1", "definitions"),)),
    ("by-constitution-synth", "Constitution", "Constitution of Belarus (synthetic)", (
        ("33", "freedom of opinion and expression"), ("35", "freedom of assembly"))),
    ("iccpr-synth", "Treaty", "International Covenant on Civil and Political Rights (synthetic)", (
        ("9", "liberty and security of person"), ("14", "fair trial"), ("19", "freedom of expression"))),
    ("pace-guidelines-synth", "Guidelines", "Guidelines on political prisoners (synthetic)", (
        ("3.1-a", "detention in violation of fundamental guarantees"),
        ("3.1-b", "detention for purely political reasons"))),
)
REPLACED = ("by-extremism-law-synth-2007", "Law on Countering Extremism of 2007 (synthetic)")
# the extractor rule that makes each kind of claim (an event: "event") in the news items, as "<version>/<rule>"
RULES = {"recognition": "synth/recognition-subject", "charge": "synth/charge-subject", "demand": "synth/demand",
         "signature": "synth/signature", "submission": "synth/submission", "statistic": "synth/statistic",
         "event": "synth/event-subject"}
# (key, class, name, kind, parent key, session number)
MECHANISMS = (
    ("synth-un-hrc", "CharterBody", "UN Human Rights Council (synthetic)", "charter-body", None, None),
    ("synth-hrc-52", "MechanismSession", "52nd session of the Human Rights Council (synthetic)", "session",
     "synth-un-hrc", 52),
    ("synth-hrc-55", "MechanismSession", "55th session of the Human Rights Council (synthetic)", "session",
     "synth-un-hrc", 55),
    ("synth-upr", "Mechanism", "Universal Periodic Review (synthetic)", "upr", "synth-un-hrc", None),
    ("synth-special-procedures", "Mechanism", "UN Special Procedures (synthetic)", "special-procedures-system",
     "synth-un-hrc", None),
    ("synth-sr-belarus", "SpecialProcedure", "UN Special Rapporteur on the situation of human rights in Belarus "
     "(synthetic)", "country-mandate", "synth-special-procedures", None),
    ("synth-wgad", "SpecialProcedure", "UN Working Group on Arbitrary Detention (synthetic)", "working-group",
     "synth-special-procedures", None),
    ("synth-sr-expression", "SpecialProcedure", "UN Special Rapporteur on freedom of expression (synthetic)",
     "thematic-mandate", "synth-special-procedures", None),
    ("synth-group-of-experts", "Mechanism", "Group of Independent Experts on Belarus (synthetic)",
     "investigative-body", "synth-un-hrc", None),
    ("synth-hrcttee", "TreatyBody", "UN Human Rights Committee (synthetic)", "treaty-body", None, None),
    ("synth-osce-moscow", "RegionalMechanism", "OSCE Moscow Mechanism (synthetic)", "osce-mechanism", None, None),
    ("synth-pace", "RegionalMechanism", "Parliamentary Assembly of the Council of Europe (synthetic)", "coe-body",
     None, None),
)


@dataclass
class World:
    """What the statements point at, each as N-Triples text, with the names the quotes use."""

    hros: list[str] = field(default_factory=list)
    associations: list[str] = field(default_factory=list)
    media: list[str] = field(default_factory=list)
    courts: list[str] = field(default_factory=list)
    colonies: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)  # the Criminal Code's
    admin_articles: list[str] = field(default_factory=list)
    mechanisms: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    place_of: dict[str, str] = field(default_factory=dict)  # court or colony -> its city
    activities: dict[str, str] = field(default_factory=dict)  # "<version>/<rule>" -> the extraction activity


def _org(w: Writer, world: World, key: str, cls: str, name: str) -> str:
    org = iri(w.iris.record("organisations", key))
    w.labelled(org, getattr(H, cls), name)
    world.names[org] = name
    return org


def build_world(w: Writer) -> World:
    world, iris = World(), w.iris
    country = iri(iris.record("places", "synth-belarus"))
    w.labelled(country, H.Place, "Belarus (synthetic)")
    w.t(country, H.placeKind, lit("country"))
    world.hros = [_org(w, world, key, "HumanRightsOrganisation", name) for key, name in HROS]
    for key, cls, name in OTHER_ORGS:
        org = _org(w, world, key, cls, name)
        (world.associations if cls == "Association" else world.media if cls == "MediaOrganisation" else []).append(org)
    for n, city in enumerate(CITIES):
        place = iri(iris.record("places", f"synth-{city.lower()}"))
        w.labelled(place, H.Place, city)
        w.t(place, H.locatedIn, country)
        w.t(place, H.placeKind, lit("city"))
        world.cities.append(place)
        court = _org(w, world, f"synth-{city.lower()}-court", "Court", f"{city} Regional Court")
        colony = _org(w, world, f"synth-{city.lower()}-colony", "PenalInstitution", f"Penal Colony No. {n + 1}, {city}")
        world.courts.append(court)
        world.colonies.append(colony)
        world.place_of[court] = world.place_of[colony] = place
    _legislation(w, world)
    _mechanisms(w, world)
    _activities(w, world)
    return world


def _activities(w: Writer, world: World) -> None:
    """The extractor's activities, described by the emitter itself (a handful: rdflib terms are fine here)."""
    index = Index.of([], w.iris)
    for made_by in RULES.values():
        world.activities[made_by] = iri(extraction_activity(index, made_by))
        for s, p, o in activity_triples(index, made_by):
            w.t(nt_term(s), nt_term(p), nt_term(o))


def _legislation(w: Writer, world: World) -> None:
    old = iri(w.iris.instrument(REPLACED[0]))
    w.labelled(old, H.Law, REPLACED[1])
    w.t(old, E.title, en(REPLACED[1]))
    for n, (key, cls, title, provisions) in enumerate(LEGISLATION):
        code = iri(w.iris.instrument(key))
        w.labelled(code, getattr(H, cls), title)
        w.t(code, E.title, en(title))
        if cls == "Law":
            w.t(old, DC.isReplacedBy, code)
        for number, subject in provisions:
            art = iri(w.iris.provision(key, number))
            w.labelled(art, H.LegalProvision, f"{title.removesuffix(' (synthetic)')}, Article {number}")
            w.t(art, E.number, lit(number))
            w.t(art, E.is_part_of, code)
            w.t(art, H.subject, en(subject))
            world.names[art] = number
            (world.articles if n == 0 else world.admin_articles if n == 1 else []).append(art)


def _mechanisms(w: Writer, world: World) -> None:
    for key, cls, name, kind, parent, session in MECHANISMS:
        mech = iri(w.iris.record("mechanisms", key))
        w.labelled(mech, getattr(H, cls), name)
        w.t(mech, H.mechanismKind, concept("mechanism-kind", kind))
        if parent:
            w.t(mech, H.partOf, iri(w.iris.record("mechanisms", parent)))
        if session:
            w.t(mech, H.sessionNumber, lit(str(session), datatype="positiveInteger"))
        if key == "synth-sr-belarus":
            w.t(mech, SK.altLabel, en("Special Rapporteur on Belarus (synthetic)"))
        world.mechanisms.append(mech)
        world.names[mech] = name
