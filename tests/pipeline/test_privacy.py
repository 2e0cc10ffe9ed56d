"""Protected persons: a canary name and a canary field value, marked restricted, appear in no output.

A copy of the project gets a restricted person with a canary name, a claim about them, and a restricted
`note` holding a second canary on a person who stays published. The build with these additions must publish
exactly what the build without them publishes (same N-Triples, same VoID counts), and the served site must
show the canaries nowhere: dumps, SPARQL (every query form, regex over every graph), resource pages in every
format, search, VoID, the saved queries and the editor.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hrgraph.config import Settings
from hrgraph.pipeline.build import build

from conftest import Backend, LiveServer, copy_project, serving

NAME = "Zzcanary Qxwyrestricted"
KEY = "zzcanary-qxwyrestricted"
FIELD = "Qxwy-field-canary-7731 held in Penal Colony Zzcanary"
CANARY = re.compile(r"zzcanary|qxwy", re.IGNORECASE)
PERSON = f"""
  - key: {KEY}
    label: {NAME}
    restricted: true
    alt_labels: [{{text: Ззканары, lang: be}}]
"""
CLAIM = f"""
  - key: rec-000-1-{KEY}
    type: recognition
    statement: release-andrei-aliaksandrau-and-iryna-zlobina
    source: 000_ea40ffb1ad6f29d2.txt
    quote: political prisoners Andrei Aliaksandrau and Iryna Zlobina
    person: {KEY}
    recognised_by: [bhc]
    note: Recognition of {NAME}.
"""
OPEN_PERSON = "  - key: andrei-aliaksandrau\n    label: Andrei Aliaksandrau\n"


def add_canaries(root: Path) -> None:
    curated = root / "data" / "curated"
    persons = (curated / "persons.yaml").read_text(encoding="utf-8")
    assert OPEN_PERSON in persons
    persons = persons.replace(OPEN_PERSON, OPEN_PERSON + f"    note: {FIELD}\n    restricted_fields: [note]\n")
    (curated / "persons.yaml").write_text(persons + PERSON, encoding="utf-8")
    with (curated / "claims.yaml").open("a", encoding="utf-8") as fh:
        fh.write(CLAIM)


@pytest.fixture(scope="module")
def canary_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("canary"))
    add_canaries(root)
    result = build(Settings(root=root))
    assert result.published, result.problems
    return root


@pytest.fixture(scope="module")
def canary_live(canary_root: Path, backend: Backend) -> Iterator[LiveServer]:
    with serving(canary_root, backend=backend) as server:
        yield server


def dist_files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted((root / "dist").rglob("*")):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            yield path, data.decode("utf-8", errors="replace")


def test_no_dump_holds_a_canary(canary_root: Path) -> None:
    files = list(dist_files(canary_root))
    assert len(files) >= 8
    leaks = [str(p) for p, text in files if CANARY.search(text)]
    assert not leaks


def test_the_build_publishes_what_a_build_without_the_person_publishes(canary_root: Path, built_root: Path) -> None:
    for name in ("hrgraph.nt.gz", "void.ttl", "build.json"):
        assert (canary_root / "dist" / name).read_bytes() == (built_root / "dist" / name).read_bytes(), name


def test_the_private_report_lists_what_was_withheld(canary_root: Path) -> None:
    report = (canary_root / "var" / "private" / "restricted.txt").read_text(encoding="utf-8")
    assert "withheld person at data/curated/persons.yaml:" in report
    assert "withheld field 'note' of the person at data/curated/persons.yaml:6" in report
    assert "withheld claim at data/curated/claims.yaml:" in report
    assert not CANARY.search(report)


SPARQL = [
    f'SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(REGEX(STR(?s), "{CANARY.pattern}", "i") || '
    f'REGEX(STR(?o), "{CANARY.pattern}", "i")) }}',
    f'SELECT * WHERE {{ ?s ?p ?o FILTER(REGEX(STR(?o), "{CANARY.pattern}", "i")) }}',
    f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(REGEX(STR(?o), "{CANARY.pattern}", "i")'
    f' || REGEX(STR(?s), "{CANARY.pattern}", "i")) }}',
    f"DESCRIBE <https://w3id.org/hrgraph/id/person/{KEY}>",
    "DESCRIBE <https://w3id.org/hrgraph/id/person/andrei-aliaksandrau>",
    "CONSTRUCT WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("query", SPARQL)
def test_sparql_finds_no_canary(canary_live: LiveServer, query: str) -> None:
    for accept in ("text/csv", "application/sparql-results+json", "application/n-triples", "text/turtle"):
        r = requests.post(canary_live.url + "/sparql", data={"query": query}, headers={"Accept": accept}, timeout=60)
        if r.status_code == 406:
            continue
        assert r.status_code == 200, r.text
        assert not CANARY.search(r.text), (query, accept)


def test_ask_is_false(canary_live: LiveServer) -> None:
    query = f'ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(REGEX(STR(?o), "{CANARY.pattern}", "i") || ' \
            f'REGEX(STR(?s), "{CANARY.pattern}", "i")) }}'
    r = requests.get(canary_live.url + "/sparql", params={"query": query},
                     headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is False


PAGES = [f"/id/person/{KEY}", "/id/person/andrei-aliaksandrau",
         "/id/statement/release-andrei-aliaksandrau-and-iryna-zlobina",
         f"/id/recognition/rec-000-1-{KEY}", "/persons", "/claims", "/", "/sparql", "/queries", "/dumps",
         "/.well-known/void"]
ACCEPTS = ["text/html", "text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml",
           "application/json", "*/*"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_show_no_canary(canary_live: LiveServer, path: str) -> None:
    asked = path.rsplit("/", 1)[-1]
    for accept in ACCEPTS:
        r = requests.get(canary_live.url + path, headers={"Accept": accept}, timeout=30)
        assert r.status_code < 500
        body = r.text
        if "zzcanary" in path:  # a 404 names what was asked for; nothing else may show the canary
            assert r.status_code == 404, (path, accept)
            body = body.replace(asked, "")
        assert not CANARY.search(body), (path, accept)


def test_search_finds_nothing(canary_live: LiveServer) -> None:
    for q in ("zzcanary", "Ззканары", "qxwy"):
        r = requests.get(canary_live.url + "/persons", params={"q": q}, timeout=30)
        assert r.status_code == 200
        body = r.text.replace(q, "").replace(q.casefold(), "")  # the search box shows what was asked
        assert not CANARY.search(body) and KEY not in body


def test_dumps_over_http_hold_no_canary(canary_live: LiveServer) -> None:
    names = requests.get(canary_live.url + "/dumps", timeout=30).text.split()
    assert names
    for name in names:
        r = requests.get(canary_live.url + name, timeout=30)
        data = gzip.decompress(r.content) if name.endswith(".gz") else r.content
        assert not CANARY.search(data.decode("utf-8", errors="replace")), name


def test_restricting_a_person_named_in_the_sources_masks_the_name_everywhere(tmp_path: Path) -> None:
    """Iryna Zlobina is named in a source text and in quotes of other claims: restricted, her name is
    masked there too (dist/sources/, evidence quotes, labels, build messages) and her key leaves every IRI."""
    root = copy_project(tmp_path)
    persons = root / "data" / "curated" / "persons.yaml"
    text = persons.read_text(encoding="utf-8")
    persons.write_text(text.replace("    label: Iryna Zlobina\n", "    label: Iryna Zlobina\n    restricted: true\n"),
                       encoding="utf-8")
    result = build(Settings(root=root))
    assert result.published
    leaks = [str(p) for p, body in dist_files(root) if re.search(r"zlobina", body, re.IGNORECASE)]
    assert not leaks
    source = (root / "dist" / "sources" / "000_ea40ffb1ad6f29d2.txt").read_text(encoding="utf-8")
    assert "Andrei Aliaksandrau and ███!" in source  # the other person stays, her name is masked (no length)
    assert "Andrei Aliaksandrau" in (root / "dist" / "hrgraph.ttl").read_text(encoding="utf-8")
