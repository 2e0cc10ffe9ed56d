"""Writing N-Triples text fast: terms rendered once, triples written as lines, evidence in the emitter's shape.

Ontology terms are read from the generated vocabulary (`model/vocab.py`): `H.Person` is "<…ontology#Person>",
made on first use and then a plain attribute, and a name the ontology lacks is an AttributeError. No IRI of the
ontology or its schemes is spelled out here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from rdflib.namespace import DefinedNamespace

from hrgraph.model.namespaces import Iris
from hrgraph.model.vocab import DCTERMS, ELI, HR, PROV, RDF, RDFS, SCHEMES, SKOS, XSD
from hrgraph.pipeline.emit import Lit, annotation
from hrgraph.pipeline.sources import CONTEXT, Span


class NT:
    """A namespace whose attributes are its terms in N-Triples syntax, each made once."""

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._ns = namespace

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        term = f"<{self._ns[name]}>"
        setattr(self, name, term)
        return term


H, E = NT(HR), NT(ELI)
R, RS, SK, DC, PV = NT(RDF), NT(RDFS), NT(SKOS), NT(DCTERMS), NT(PROV)
_XSD = {name: str(XSD[name]) for name in ("date", "dateTime", "integer", "decimal", "boolean", "positiveInteger")}


def iri(term: str) -> str:
    return f"<{term}>"


def concept(scheme: str, key: str) -> str:
    """A concept of one of the ontology's schemes (`concept("demand-type", "release")`), as N-Triples."""
    return iri(SCHEMES[scheme][key])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")


def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f'"{_escape(text)}"@{lang}'
    if datatype:
        return f'"{_escape(text)}"^^<{_XSD.get(datatype, datatype)}>'
    return f'"{_escape(text)}"'


def en(text: str) -> str:
    return lit(text, lang="en")


def render(value: str | Lit) -> str:
    return iri(value) if isinstance(value, str) else lit(value.text, value.lang, value.datatype)


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


@dataclass
class Quote:
    """Evidence waiting for its document to be complete (the quote's oa:suffix is the text after it)."""

    claim: str
    start: int
    end: int


class Writer:
    """Streams N-Triples lines; materialises the superclass types of every rdf:type it writes."""

    def __init__(self, out: IO[str], closure: dict[str, list[str]], iris: Iris) -> None:
        self.out = out
        self.iris = iris
        self.types = {iri(c): [iri(x) for x in (c, *sups)] for c, sups in closure.items()}
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.out.write(f"{s} {p} {o} .\n")
        self.count += 1

    def typed(self, s: str, cls: str) -> None:
        for c in self.types.get(cls) or (cls,):
            self.t(s, R.type, c)

    def labelled(self, s: str, cls: str, label: str) -> None:
        self.typed(s, cls)
        text = en(label)
        self.t(s, RS.label, text)
        self.t(s, SK.prefLabel, text)

    def evidence(self, doc: Doc, source: str, quotes: list[Quote]) -> None:
        """Each quote's claim: prov:wasDerivedFrom its source and the emitter's evidence annotation."""
        text = doc.text
        for q in quotes:
            claim = q.claim[1:-1]
            span = Span(text[q.start:q.end], q.start, q.end, text[max(0, q.start - CONTEXT):q.start],
                        text[q.end:q.end + CONTEXT])
            self.t(q.claim, PV.wasDerivedFrom, source)
            ann = str(self.iris.evidence(claim, 1))  # type: ignore[arg-type]
            for s, p, o in annotation(ann, claim, source[1:-1], doc.file, span):
                if p == _TYPE:
                    self.typed(iri(s), iri(o))  # type: ignore[arg-type]
                else:
                    self.t(iri(s), iri(p), render(o))


_TYPE = str(RDF.type)
