"""The dataset's description: VoID (for linked-data tools) and DCAT (for catalogues), from the published graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from hrgraph.model.namespaces import HR, Iris
from hrgraph.pipeline.dumps import Triple

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
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


def describe_dataset(stats: GraphStats, iris: Iris, version: str, build_id: str) -> list[Triple]:
    ds = iris.dataset()
    base = iris.base
    out: list[Triple] = [
        (ds, RDF.type, VOID.Dataset), (ds, RDF.type, DCAT.Dataset),
        (ds, DCTERMS.title, Literal("hrgraph: human-rights documentation as Linked Data", lang="en")),
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
