"""Writes `hrgraph/model/vocab.py`, the one source of the ontology's names, from `ontology/`.

    python -m hrgraph.model.vocabgen            # rewrite src/hrgraph/model/vocab.py
    python -m hrgraph.model.vocabgen --check    # exit 1 when it is stale (a test does the same)

Every namespace the ontology declares a prefix for becomes a closed rdflib `DefinedNamespace`, so a term the
ontology does not have (`HR.Persn`) is an AttributeError at import or first use, never a silent new IRI:
- `hr:` with every term the ontology mentions, each commented with its label;
- an external vocabulary rdflib already defines at the same IRI (RDFS, SKOS, PROV, DCTERMS, ...) is imported
  from rdflib under rdflib's name rather than restated (XSD and DCAT are open there: datatypes are not ours);
- any other (schema.org at `http://`, ELI, Web Annotation) with the terms the ontology uses of it — the
  ontology declares every external term it uses (it has no `owl:imports`), so that is all the code may use;
- each SKOS concept scheme of `ontology/vocab/` with its concepts (`DEMAND_TYPE.release`, or
  `PP_GUIDELINES_2013["not-stated"]` for keys that are not Python names), and `SCHEMES` by scheme key.
"""

from __future__ import annotations

import argparse
import inspect
import keyword
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import rdflib
import rdflib.namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[3]
TARGET = Path(__file__).with_name("vocab.py")
PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w-]*):\s*<([^>]+)>\s*\.", re.MULTILINE)
HEADER = '''"""The ontology's names, GENERATED from ontology/ by `python -m hrgraph.model.vocabgen`: do not edit.

Closed namespaces: a term the ontology does not have is an AttributeError, never a new IRI.
"""

# ruff: noqa: E501, E741, I001
from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace
'''


def shipped_by_rdflib() -> dict[str, str]:
    """IRI -> name of the namespaces rdflib defines term by term (most of them closed)."""
    out = {}
    for name, value in vars(rdflib.namespace).items():
        if (inspect.isclass(value) and issubclass(value, rdflib.namespace.DefinedNamespace)
                and value is not rdflib.namespace.DefinedNamespace):
            out[str(value._NS)] = name
    return out


def python_name(text: str) -> str:
    return re.sub(r"\W", "_", text).upper()


def terms_in(graph: rdflib.Graph, namespace: str) -> list[str]:
    names = {str(t)[len(namespace):] for triple in graph for t in triple
             if isinstance(t, rdflib.URIRef) and str(t).startswith(namespace) and len(str(t)) > len(namespace)}
    return sorted(names, key=lambda n: (n.lower(), n))


def label_of(graph: rdflib.Graph, iri: rdflib.URIRef) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        labels = sorted(graph.objects(iri, prop), key=lambda lit: (getattr(lit, "language", None) != "en", str(lit)))
        if labels:
            return " ".join(str(labels[0]).split())
    return ""


def namespace_class(name: str, iri: str, doc: str, terms: Iterable[str], graph: rdflib.Graph) -> str:
    lines = ["", "", f"class {name}(DefinedNamespace):", f'    """{doc}"""', "",
             "    _fail = True", f'    _NS = Namespace("{iri}")']
    extras = []
    for term in terms:
        if term.isidentifier() and not keyword.iskeyword(term):
            label = label_of(graph, rdflib.URIRef(iri + term))
            lines.append(f"    {term}: URIRef" + (f"  # {label}" if label else ""))
        else:
            extras.append(term)
    if extras:
        lines.append(f"    _extras = {extras!r}  # keys that are not Python names: {name}[\"...\"]")
    return "\n".join(lines) + "\n"


def ontology_part(path: Path) -> tuple[list[str], list[str], list[str]]:
    """(imports from rdflib, generated classes, exported names) for the ontology file's prefixes."""
    text = path.read_text(encoding="utf-8")
    graph = rdflib.Graph(bind_namespaces="none").parse(data=text, format="turtle")
    shipped = shipped_by_rdflib()
    imports, classes, names = [], [], []
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    for prefix, iri in PREFIX_LINE.findall(text):
        name = shipped.get(iri) or python_name(prefix)
        if iri in shipped:
            imports.append(name)
        else:
            terms = terms_in(graph, iri)
            if not terms:
                continue
            doc = f"`{prefix}:` — {label_of(graph, ontology)}" if iri.startswith(str(ontology)) else \
                f"`{prefix}:` <{iri}>, the terms the ontology uses of it"
            classes.append(namespace_class(name, iri, doc, terms, graph))
        names.append(name)
    classes.insert(0, f'\n\nONTOLOGY = URIRef("{ontology}")\n')
    return imports, classes, ["ONTOLOGY", *names]


def schemes_part(folder: Path) -> tuple[list[str], list[str]]:
    """(generated classes, exported names) for the concept schemes, and the SCHEMES table."""
    classes, names, table = [], [], []
    for path in sorted(folder.glob("*.ttl")):
        graph = rdflib.Graph(bind_namespaces="none").parse(path, format="turtle")
        for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
            key = str(scheme).rstrip("/").rsplit("/", 1)[1]
            concepts = sorted(str(c) for c in graph.subjects(SKOS.inScheme, scheme))
            base = str(scheme).rstrip("/") + "/"
            name = python_name(key)
            local = [c[len(base):] for c in concepts if c.startswith(base)]
            doc = f"Concept scheme `{key}`: {label_of(graph, scheme)}"
            classes.append(namespace_class(name, base, doc, local, graph))
            names.append(name)
            table.append(f'    "{key}": {name},')
    classes.append("\n\n# Concept schemes by key (`/vocab/{key}`).\nSCHEMES: dict[str, type[DefinedNamespace]] = {\n"
                   + "\n".join(table) + "\n}\n")
    return classes, [*names, "SCHEMES"]


def generate(root: Path = ROOT) -> str:
    imports, classes, names = ontology_part(root / "ontology" / "hrgraph.ttl")
    scheme_classes, scheme_names = schemes_part(root / "ontology" / "vocab")
    head = HEADER + "from rdflib.namespace import " + ", ".join(sorted(imports)) + "\n"
    exported = "\n\n__all__ = [" + ", ".join(f'"{n}"' for n in [*names, *scheme_names]) + "]\n"
    return head + "".join(classes) + "".join(scheme_classes) + exported


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hrgraph.model.vocabgen", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when vocab.py is not what ontology/ gives")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout holding ontology/")
    args = parser.parse_args(argv)
    text = generate(args.root)
    if args.check:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run python -m hrgraph.model.vocabgen", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
