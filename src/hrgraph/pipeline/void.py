"""The dataset's description: VoID (for linked-data tools) and DCAT (for catalogues), from the published graph."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD

from hrgraph.model.namespaces import HR, Iris
from hrgraph.pipeline.dumps import Triple

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DUMPS = {  # file name → media type
    "hrgraph.ttl": "text/turtle",
    "hrgraph.nt.gz": "application/n-triples",
    "hrgraph.jsonld": "application/ld+json",
}


def describe_dataset(data: Graph, iris: Iris, version: str, build_id: str) -> list[Triple]:
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
        (ds, VOID.triples, Literal(len(data), datatype=XSD.integer)),
    ]
    subjects = {s for s in data.subjects() if isinstance(s, URIRef) and str(s).startswith(base) and "#" not in s}
    out.append((ds, VOID.entities, Literal(len(subjects), datatype=XSD.integer)))
    counts = Counter(o for s, o in data.subject_objects(RDF.type) if s in subjects)
    for cls, n in sorted(counts.items(), key=lambda kv: str(kv[0])):
        part = URIRef(f"{ds}#class-{_slug(cls)}")
        out += [(ds, VOID.classPartition, part), (part, VOID["class"], cls),
                (part, VOID.entities, Literal(n, datatype=XSD.integer))]
    for src in sorted(data.subjects(RDF.type, HR.SourceDocument)):
        out.append((ds, DCTERMS.source, src))
    for name, media in DUMPS.items():
        url = iris.dump(name)
        out += [(ds, VOID.dataDump, url), (ds, DCAT.distribution, url), (url, RDF.type, DCAT.Distribution),
                (url, DCAT.downloadURL, url), (url, DCAT.mediaType,
                                                URIRef(f"https://www.iana.org/assignments/media-types/{media}")),
                (url, DCTERMS.format, Literal(media))]
    return out


def _slug(cls: URIRef) -> str:
    text = str(cls)
    for sep in ("#", "/"):
        text = text.replace(sep, "-")
    return text.split("//", 1)[-1].replace(":", "").strip("-")
