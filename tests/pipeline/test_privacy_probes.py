"""Protected persons probed as an adversary would, on the paths the first privacy tests were not written for.

A copy of the project gets two protected persons known to curation by one line each (`restricted: true` and a
label) and otherwise only from a page in data/sources/, written in spellings the rules met late: a soft-stem
case form of the given name beside the masked surname and alone ("Игоря"), French romanisation ("Nicolas
Chpakovski": ch for ш), a capital Cyrillic І inside a Latin word ("Іgor"), surname-first. Then:

- every published file, data/keys.tsv and every message (build, ingest --report/--explain, review) is searched
  for their names folded to ASCII by anyascii (not by the code under test);
- messages never speak of a withheld record at all (an ingest conflict about them gave the line of their
  record, the lengths of their names and, with --report, the key of their given name), and a name masked in
  a message is `███` whatever its length;
- the running server answers every lookup surface (search, reconciliation query/suggest/preview/extend, the
  cross-reference CSV, a saved query's parameter, an IRI guessed from the name) exactly as it answers for a
  name nobody has: a different answer would confirm that the person is in the data.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import requests
from anyascii import anyascii

from hrgraph.pipeline.masking import Masker

from conftest import LiveServer, copy_project, embedded_only, serving

EMBEDDED = embedded_only("restriction happens before any store is written; the served store is the embedded one")
PAGE = "950_free-dabryniuk-and-shpakouski.txt"
PERSONS = """
  - key: protected-b
    label: Ihar Dabryniuk
    restricted: true
  - key: protected-17
    label: Mikalai Shpakouski
    restricted: true
"""
TEXT = """joint statement

Free Ihar Dabryniuk and Mikalai Shpakouski now

Statement by the human rights community of Belarus

On April 2, 2024, the Minsk City Court sentenced political prisoner Ihar Dabryniuk to 6 years of imprisonment \
under Article 342 of the Criminal Code. Andrei Aliaksandrau, who shared a cell with him, said Dabryniuk was ill.
В суде Игоря Добрынюка защищал адвокат. Игорь Добрынюк (Ігар Дабрынюк) has been held since 2023. The wife of \
Игоря said. Ihara Dabryniuka was transferred.
Nicolas Chpakovski, known as Mikalai Shpakouski (Николай Шпаковский), was also detained; the family of Nicolas \
asked for help. Mikołaj Szpakowski, Mikalaja Shpakouskaha.
I. Dabryniuk; Дабрынюк І.; Dоbryniuk Іgor.
We recognize Ihar Dabryniuk and Mikalai Shpakouski as political prisoners and demand their immediate release.

Subscribe to RSS - joint statement
"""
# Folded to ASCII letters by anyascii: their surnames; and their given names, looked for where no public
# person of the real data is named (the page, what ingest prints of it, the review of it).
SURNAMES = {"Dabryniuk": r"d[ao]bryn", "Shpakouski": r"[cs]z?h?pak[oa]"}
GIVEN = {"Igor": r"igor|ihar", "Nicolas": r"nicolas|nikola|mikal|mikol"}
CONTROLS = ["Ihar Dablyniuk", "Nicolas Chmakovski", "Dablyniuk", "protected-x", "ihar-dablyniuk"]
PROTECTED = ["Ihar Dabryniuk", "Nicolas Chpakovski", "Dabryniuk", "protected-b", "ihar-dabryniuk",
             "Игоря Добрынюка", "Mikalai Shpakouski", "Шпаковский", "Igor Dobryniuk"]
MASK_RUN = re.compile("█{4,}")  # a masked name is ███, never as long as the name


def fold(text: str) -> str:
    return re.sub(r"[^a-z]", "", anyascii(text).lower())


def leaks(text: str, given: bool = False) -> list[str]:
    folded = fold(text)
    return [name for name, pattern in (SURNAMES | GIVEN if given else SURNAMES).items() if re.search(pattern, folded)]


def hrgraph(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600)


def add_page(root: Path) -> None:
    curated = root / "data" / "curated"
    with (curated / "persons.yaml").open("a", encoding="utf-8") as fh:
        fh.write(PERSONS)
    with (curated / "sources.yaml").open("a", encoding="utf-8") as fh:
        fh.write(f"\n  - key: 950-two-detentions\n    label: Joint statement on two detentions\n    file: {PAGE}\n"
                 "    site: https://example.org/en/news/two-detentions\n    layout: tag-listing\n")
    (root / "data" / "sources" / PAGE).write_text(TEXT, encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    root = copy_project(tmp_path_factory.mktemp("probes"))
    add_page(root)
    done = hrgraph(root, "build")
    assert done.returncode in (0, 1), done.stderr + done.stdout
    return root, done


@pytest.fixture(scope="module")
def live(site: tuple[Path, subprocess.CompletedProcess[str]]) -> Iterator[LiveServer]:
    with serving(site[0]) as server:
        yield server


def test_the_page_names_them_in_every_spelling() -> None:
    """The premise: before restriction, the patterns find each spelling used."""
    for line in ("Игоря", "Nicolas Chpakovski", "Іgor", "Dоbryniuk", "Mikołaj Szpakowski"):
        assert leaks(line, given=True), line


@pytest.mark.parametrize(("text", "kept"), [
    ("В суде Игоря Добрынюка защищал адвокат. The wife of Игоря said.", "В суде  защищал адвокат. The wife of  said."),
    ("Игорю Добрынюку, Ігара Дабрынюка.", ", ."),  # soft-stem case forms of the given name
    ("Nicolas Chpakovski; the family of Nicolas.", "; the family of ."),  # French: ch for ш
    ("Dabryniuk Іgor.", "."),  # a capital Cyrillic І in a Latin word is an I, not an l
    ("Ihar Dabryniuk and Ihar Kushniarevich; Ihar, Anna.", " and Ihar Kushniarevich; , Anna."),  # another Ihar
    ("Mikalai Shpa-\nkouski said.", " said."),  # hyphenated at the end of a line
    ("Yulia Zhdanovich-Kavalenka said; Юлия Жданович; Kavalenka.", "- said; ; ."),  # a double surname, a part alone
    ("Yulia Zhdanovich-Kavalenka; Zhdanovich, Mikalai, Anna.", "-; , Mikalai, Anna."),  # a list: no Mikalai Zhdanovich
])
def test_given_names_beside_and_apart_from_the_surname_are_masked(text: str, kept: str) -> None:
    masker = Masker()
    masker.add_person("b", ["Ihar Dabryniuk"], withheld=True)
    masker.add_person("c", ["Mikalai Shpakouski"], withheld=True)
    masker.add_person("d", ["Yulia Zhdanovich-Kavalenka"], withheld=True)
    masked, ambiguous = masker.mask(text)
    assert masked.replace("█", "") == kept and not ambiguous
    assert "███" in masker.redact(text) and not MASK_RUN.search(masker.redact(text))  # no length in a message


def test_every_spelling_is_masked_in_the_published_page_and_keys(site) -> None:
    root, _ = site
    pages = [p for p in (root / "dist" / "sources").iterdir() if "Minsk City Court" in p.read_text("utf-8")]
    assert len(pages) == 1 and pages[0].name.startswith("withheld-")
    text = pages[0].read_text(encoding="utf-8")
    assert "Andrei Aliaksandrau" in text and "sentenced political prisoner ███ to 6 years" in text
    assert not MASK_RUN.search(text)  # a masked name is ███ whatever its length, as it is in every value
    assert not leaks(text, given=True), [ln for ln in text.splitlines() if leaks(ln, given=True)]
    assert not leaks((root / "data" / "keys.tsv").read_text(encoding="utf-8"))  # a tracked file
    other = (root / "dist" / "sources" / "001_49413b43df8c0331.txt").read_text(encoding="utf-8")
    assert "protected" in other  # a placeholder key (protected-17, as README shows) is no surname of theirs
    for dump in ("hrgraph.nt.gz", "hrgraph.ttl", "hrgraph.jsonld"):
        data = (root / "dist" / dump).read_bytes()
        assert not leaks((gzip.decompress(data) if dump.endswith(".gz") else data).decode("utf-8")), dump


def test_messages_say_nothing_of_a_withheld_record(site) -> None:
    """The published validation report and the build's output: no warning about them (their record's line,
    their labels' lengths), the page by its new name, and masks without lengths."""
    root, done = site
    report = (root / "dist" / "validation-report.txt").read_text(encoding="utf-8")
    report_ttl = (root / "dist" / "validation-report.ttl").read_text(encoding="utf-8")
    persons = (root / "data" / "curated" / "persons.yaml").read_text(encoding="utf-8").splitlines()
    their_lines = [f"persons.yaml:{n}" for n, line in enumerate(persons, 1) if "key: protected-" in line]
    assert len(their_lines) == 2
    for text in (report, report_ttl, done.stdout + done.stderr):
        assert not leaks(text)
        assert "protected-" not in text and not [line for line in their_lines if line in text]
        assert not MASK_RUN.search(text), MASK_RUN.findall(text)[:3]
        assert "950_free" not in text
    assert "withheld-" in report  # the warning about the page's article is kept, under its published name
    private = (root / "var" / "private" / "restricted.txt").read_text(encoding="utf-8")
    assert "build message(s) about withheld records not shown" in private and not leaks(private)


def test_ingest_report_and_explain_say_nothing_of_them(site) -> None:
    root, _ = site
    done = hrgraph(root, "ingest", str(root / "data" / "sources" / PAGE), "--format", "nt", "--report",
                   "--explain", "protected-b")
    assert done.returncode in (0, 1), done.stderr
    assert len(done.stdout) > 1000 and not leaks(done.stdout)
    assert not leaks(done.stderr, given=True), [ln for ln in done.stderr.splitlines() if leaks(ln, given=True)]
    assert "|" not in done.stderr.replace("name key andrei|", "")  # a name key spells the given name: ihar|…
    assert not MASK_RUN.search(done.stderr)
    assert "decision(s) about withheld persons not shown" in done.stderr
    assert "is withheld (a protected person)" in done.stderr


def test_review_shows_no_name_of_theirs(site) -> None:
    root, _ = site
    done = hrgraph(root, "review", "--list")
    assert done.returncode == 0, done.stderr
    assert not leaks(done.stdout), done.stdout
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "review"], input="q\n",
                          capture_output=True, text=True, timeout=600)
    assert "candidate(s) to review" in done.stdout and not leaks(done.stdout)


def _answers(live: LiveServer, q: str) -> Iterator[tuple[str, requests.Response]]:
    """Every lookup surface of the server, asked about `q`."""
    u, base = live.url, "https://w3id.org/hrgraph/id/person/"
    slug = q.lower().replace(" ", "-")
    yield "search", requests.get(u + "/search.json", params={"q": q}, timeout=60)
    yield "search.html", requests.get(u + "/search", params={"q": q}, timeout=60)
    yield "persons", requests.get(u + "/persons", params={"q": q}, timeout=60)
    yield "reconcile", requests.post(u + "/reconcile", data={"queries": json.dumps(
        {"q0": {"query": q, "type": "Person"}, "q1": {"query": q}})}, timeout=60)
    yield "suggest", requests.get(u + "/reconcile/suggest/entity", params={"prefix": q}, timeout=60)
    yield "preview", requests.get(u + "/reconcile/preview", params={"id": base + slug}, timeout=60)
    yield "extend", requests.post(u + "/reconcile", data={"extend": json.dumps(
        {"ids": [base + slug], "properties": [{"id": "status"}, {"id": "otherNames"}]})}, timeout=60)
    yield "xref", requests.post(u + "/xref.csv", data=f"name\n{q}\n".encode(), timeout=60,
                                headers={"Content-Type": "text/csv"})
    yield "saved query", requests.get(u + "/queries/evidence-for-person.json", params={"person": q}, timeout=60)
    yield "IRI", requests.get(u + "/id/person/" + quote(slug), headers={"Accept": "text/html"}, timeout=60)


def _without(text: str, q: str) -> str:
    """An answer with the question taken out (it is echoed, escaped in several ways)."""
    slug = q.lower().replace(" ", "-")
    for echoed in sorted({q, quote_plus(q), quote(q), json.dumps(q)[1:-1], slug, quote(slug)}, key=len,
                         reverse=True):
        text = text.replace(echoed, "")
    return text


@EMBEDDED
def test_the_server_answers_for_them_as_for_nobody(live: LiveServer) -> None:
    """Status, type and length of every answer (question taken out) are those of a name nobody has."""
    def shape(q: str) -> dict[str, tuple[int, str, int]]:
        return {name: (r.status_code, r.headers.get("Content-Type", ""), len(_without(r.text, q)))
                for name, r in _answers(live, q)}
    controls = [shape(q) for q in CONTROLS]
    assert all(c == controls[0] for c in controls[1:3])  # the control names answer alike
    for q in PROTECTED:
        answers = dict(_answers(live, q))
        assert not [n for n, r in answers.items() if leaks(_without(r.text, q))], q
        got = shape(q)
        assert {n: v[:2] for n, v in got.items()} == {n: v[:2] for n, v in controls[0].items()}, q
        differs = [n for n, v in got.items() if all(v[2] != c[n][2] for c in controls)]
        assert not differs, (q, differs)


def _surfaces_about(live: LiveServer, key: str, name: str) -> dict[str, requests.Response]:
    """Every answer a server may have computed (and kept) about a person: documents, lookups, saved queries."""
    u, iri = live.url, f"https://w3id.org/hrgraph/id/person/{key}"
    return {
        "html": requests.get(f"{u}/id/person/{key}", headers={"Accept": "text/html"}, timeout=60),
        "turtle": requests.get(f"{u}/id/person/{key}", headers={"Accept": "text/turtle"}, timeout=60),
        "index": requests.get(f"{u}/persons", timeout=60),
        "search": requests.get(f"{u}/search.json", params={"q": name}, timeout=60),
        "suggest": requests.get(f"{u}/reconcile/suggest/entity", params={"prefix": name}, timeout=60),
        "reconcile": requests.post(f"{u}/reconcile", data={"queries": json.dumps({"q0": {"query": name}})},
                                   timeout=60),
        "preview": requests.get(f"{u}/reconcile/preview", params={"id": iri}, timeout=60),
        "xref": requests.post(f"{u}/xref.csv", data=f"name\n{name}\n".encode(), timeout=60,
                              headers={"Content-Type": "text/csv"}),
        "saved query by key": requests.get(f"{u}/queries/evidence-for-person.csv", params={"person": key}, timeout=60),
        "saved query by name": requests.get(f"{u}/queries/evidence-for-person.csv", params={"person": name},
                                            timeout=60),
        "saved query": requests.get(f"{u}/queries/political-prisoners.csv", timeout=60),
    }


@EMBEDDED
def test_a_person_protected_by_the_next_build_is_gone_from_every_answer(tmp_path: Path) -> None:
    """A running server (several processes, answers kept per build, a warm-up) that has answered and kept
    everything about a public person stops giving any of it once the build that protects them is published:
    no restart, nothing kept from the build before."""
    import time

    root = copy_project(tmp_path)
    key, name, surname = "dzmitry-karatkevich", "Dzmitry Karatkevich", re.compile("(?i)karatkevich")
    assert hrgraph(root, "build").returncode in (0, 1)
    with serving(root, env={"HRGRAPH_PROCESSES": "2"}) as server:  # two processes, sharing what they kept
        before = _surfaces_about(server, key, name)
        time.sleep(2)  # the warm-up keeps the saved queries' answers and the persons' documents meanwhile
        before = _surfaces_about(server, key, name)
        named = {n for n, r in before.items() if r.status_code == 200 and surname.search(r.text)}
        assert named == set(before), set(before) - named  # the premise: each of them answered with the person
        persons = root / "data" / "curated" / "persons.yaml"
        text = persons.read_text(encoding="utf-8")
        persons.write_text(text.replace(f"label: {name}\n", f"label: {name}\n    restricted: true\n", 1), "utf-8")
        assert hrgraph(root, "build").returncode in (0, 1)
        deadline = time.monotonic() + 30
        while True:
            after = _surfaces_about(server, key, name)
            still = sorted(n for n, r in after.items() if surname.search(_without(r.text, name).replace(key, "")))
            if not still or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert not still, still
        assert after["html"].status_code == 404 and after["turtle"].status_code == 404
