"""The dataset's description: VoID (for linked-data tools) and DCAT (for catalogues), from the published graph.

Besides counts and dumps it says who publishes the data and where to write about it (`dct:publisher`,
`dcat:contactPoint`: settings HRGRAPH_PUBLISHER and HRGRAPH_CONTACT), under which licence (CC BY 4.0), when it
was last modified, and which services serve it: the SPARQL endpoint (`void:sparqlEndpoint`) and the
Reconciliation Service API (a `dcat:DataService` conforming to the specification).

`dct:modified` is the day the newest input file was modified (curated records, source texts, `--input` files),
or SOURCE_DATE_EPOCH when set (the reproducible-builds convention): a rebuild of unchanged data keeps its date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID, XSD, Namespace

from hrgraph.model import dataset
from hrgraph.model.namespaces import HR, Iris
from hrgraph.pipeline.dumps import Triple

LICENSE = URIRef(dataset.LICENSE)
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")  # DCAT's contact points are vCard kinds
RECONCILIATION_API = URIRef("https://reconciliation-api.github.io/specs/0.2/")
DUMPS = {  # file name → media type
    "hrgraph.ttl": "text/turtle",
    "hrgraph.nt.gz": "application/n-triples",
    "hrgraph.jsonld": "application/ld+json",
}


@dataclass(frozen=True)
class GraphStats:
    """What VoID says about the published graph, counted in one pass over its triples."""

    triples: int
    entities: int  # subjects that are records of ours: IRIs under the base, no fragment
    classes: dict[str, int]  # class IRI → entities typed with it
    sources: list[str]  # the source documents, sorted


def graph_stats(lines: Iterable[str], base: str) -> GraphStats:
    """Counted over the dump's own N-Triples lines (distinct, `<s> <p> o .`), before anything parses them, so
    void.ttl, and with it the store, is ready early."""
    n = 0
    entities: set[str] = set()
    classes: Counter[str] = Counter()
    sources: set[str] = set()
    rdf_type, source_class = f"<{RDF.type}>", f"<{HR.SourceDocument}> .\n"
    for line in lines:
        n += 1
        if line[0] != "<":  # a blank node
            continue
        s, p, rest = line.split(" ", 2)  # an IRI in N-Triples has no space
        ours = s.startswith(base, 1) and "#" not in s
        if ours:
            entities.add(s)
        if p == rdf_type and rest[0] == "<":
            if ours:
                classes[rest[1:-4]] += 1
            if rest == source_class:
                sources.add(s[1:-1])
    return GraphStats(n, len(entities), dict(classes), sorted(sources))


@dataclass(frozen=True)
class DatasetPublisher:
    name: str
    contact: str = ""  # an IRI: mailto: or http(s); "" when none is given
    modified: str = ""  # YYYY-MM-DD


def modified_day(paths: Iterable[Path], epoch: int = 0) -> str:
    """The day of `epoch` (SOURCE_DATE_EPOCH) when given, else the day the newest of `paths` (files, or folders
    of files) was modified, in UTC; "" when there is none."""
    if epoch:
        return datetime.fromtimestamp(epoch, UTC).date().isoformat()
    files = [f for p in paths for f in (sorted(p.rglob("*")) if p.is_dir() else [p]) if f.is_file()]
    newest = max((f.stat().st_mtime for f in files), default=None)
    return datetime.fromtimestamp(newest, UTC).date().isoformat() if newest is not None else ""


def about(ds: URIRef, base: str, publisher: DatasetPublisher) -> list[Triple]:
    """Who publishes the dataset, where to write, when it changed, and the reconciliation service."""
    agent, service = URIRef(f"{ds}#publisher"), URIRef(f"{base}reconcile")
    out: list[Triple] = [(ds, DCTERMS.publisher, agent), (agent, RDF.type, FOAF.Agent),
                         (agent, FOAF.name, Literal(publisher.name))]
    if publisher.contact:
        point = URIRef(f"{ds}#contact")
        link = VCARD.hasEmail if publisher.contact.startswith("mailto:") else VCARD.hasURL
        out += [(ds, DCAT.contactPoint, point), (point, RDF.type, VCARD.Kind),
                (point, VCARD.fn, Literal(publisher.name)), (point, link, URIRef(publisher.contact))]
    if publisher.modified:
        out.append((ds, DCTERMS.modified, Literal(publisher.modified, datatype=XSD.date)))
    out += [(service, RDF.type, DCAT.DataService), (service, DCTERMS.conformsTo, RECONCILIATION_API),
            (service, DCTERMS.title, Literal("Reconciliation service (Reconciliation Service API 0.2)", lang="en")),
            (service, DCAT.endpointURL, service), (service, DCAT.servesDataset, ds),
            (service, DCTERMS.license, LICENSE)]
    return out


def describe_dataset(stats: GraphStats, iris: Iris, version: str, build_id: str,
                     publisher: DatasetPublisher = DatasetPublisher("hrgraph")) -> list[Triple]:
    ds = iris.dataset()
    base = iris.base
    out: list[Triple] = [
        (ds, RDF.type, VOID.Dataset), (ds, RDF.type, DCAT.Dataset),
        (ds, DCTERMS.title, Literal(dataset.TITLE, lang="en")),
        (ds, DCTERMS.description, Literal(
            "Political prisoners, the statements that recognise them and demand their release, the legal "
            "provisions used against them and the international mechanisms addressed, each claim with its "
            "source document and the exact words that support it.", lang="en")),
        (ds, DCTERMS.license, LICENSE), (ds, VOID.uriSpace, Literal(base)),
        (ds, VOID.sparqlEndpoint, URIRef(f"{base}sparql")),
        (ds, VOID.vocabulary, URIRef(str(HR))),
        (ds, DCTERMS.hasVersion, Literal(version)), (ds, DCTERMS.identifier, Literal(build_id)),
        (ds, VOID.triples, Literal(stats.triples, datatype=XSD.integer)),
        (ds, VOID.entities, Literal(stats.entities, datatype=XSD.integer)),
        *about(ds, base, publisher),
    ]
    for cls, n in sorted(stats.classes.items()):
        part = URIRef(f"{ds}#class-{_slug(cls)}")
        out += [(ds, VOID.classPartition, part), (part, VOID["class"], URIRef(cls)),
                (part, VOID.entities, Literal(n, datatype=XSD.integer))]
    out += [(ds, DCTERMS.source, URIRef(src)) for src in stats.sources]
    for name, media in DUMPS.items():
        url = iris.dump(name)
        out += [(ds, VOID.dataDump, url), (ds, DCAT.distribution, url), (url, RDF.type, DCAT.Distribution),
                (url, DCAT.downloadURL, url), (url, DCAT.mediaType,
                                                URIRef(f"https://www.iana.org/assignments/media-types/{media}")),
                (url, DCTERMS.format, Literal(media))]
    return out


def _slug(cls: str) -> str:
    text = cls
    for sep in ("#", "/"):
        text = text.replace(sep, "-")
    return text.split("//", 1)[-1].replace(":", "").strip("-")
