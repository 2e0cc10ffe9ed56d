"""Batch cross-reference of a CSV on the real build: upload (form and raw body) → each row's best matches with
scores, status, articles, statements, mechanisms and evidence links, as CSV, JSON and HTML; bad files refused
with a 4xx that says what and where; the command line does the same."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from conftest import LiveServer

BASE = "https://w3id.org/hrgraph/"
ANNEX = ("ФИО;Год рождения;Статья;номер\n"
         "Kazak Zinaida;;;1\n"
         "ЗЕЛЕНКЕВИЧ Валентина;;;2\n"
         "Klimovich Mikalai;;ст. 368;3\n"
         "Seviarynets Pavel;;Art. 342;4\n"
         "Nobody Whatsoever;;;5\n"
         ";;;6\n"
         "Kazak;;;+375 29 1234567\n")


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_upload_as_a_form_and_get_csv(live: LiveServer) -> None:
    r = requests.post(f"{live.url}/xref.csv", files={"file": ("annex.csv", ANNEX.encode())}, timeout=120)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("text/csv") and "annex-hrgraph.csv" in r.headers["Content-Disposition"]
    rows = rows_of(r.content.decode("utf-8"))
    assert [row["номер"] for row in rows] == ["1", "2", "3", "4", "5", "6", "'+375 29 1234567"]  # input kept, made safe
    kazak, zeliankevich, klimovich, seviarynets, nobody, empty, surname = rows
    assert kazak["match_status"] == "match" and kazak["match_iri"] == BASE + "id/person/zinaida-kazak"
    assert kazak["person_status"] == "former" and "<" + BASE + "id/organisation/viasna>" in kazak["recognisedBy"]
    assert BASE + "id/evidence/" in kazak["evidence"] and BASE + "id/statement/" in kazak["statement"]
    assert zeliankevich["match_iri"] == BASE + "id/person/valiantsina-zeliankevich"
    assert zeliankevich["match_status"] == "match"
    assert klimovich["match_status"] == "match" and klimovich["person_status"] == "deceased"
    assert "Criminal Code of Belarus, Article 368 <" + BASE + "eli/by-cc/art/368>" in klimovich["article"]
    assert seviarynets["match_status"] == "candidates"  # the graph records Art. 23.34, not 342: no automatic match
    assert "15 days of administrative detention" in seviarynets["sentence"]
    assert nobody["match_status"] == "no match" and nobody["match_iri"] == ""
    assert empty["match_status"] == "empty"
    assert surname["match_status"] == "candidates" and surname["match_name"] == "Zinaida Kazak"
    every_cell = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in every_cell)


def test_raw_body_and_json(live: LiveServer) -> None:
    r = requests.post(f"{live.url}/xref", data=ANNEX.encode(), timeout=120,
                      headers={"Content-Type": "text/csv", "Accept": "application/json"})
    out = r.json()
    assert out["summary"] == {"match": 3, "candidates": 2, "no match": 1, "empty": 1, "too long": 0}
    first = out["rows"][0]
    assert first["line"] == 2 and first["input"]["ФИО"] == "Kazak Zinaida"
    best = first["candidates"][0]
    assert best["id"] == BASE + "id/person/zinaida-kazak" and best["match"] is True and best["status"] == "former"
    assert {"id": BASE + "id/organisation/viasna", "name": "Human Rights Center “Viasna”"} in best["recognisedBy"]
    klimovich = out["rows"][2]["candidates"][0]
    assert klimovich["checks"] == {"article": True} and klimovich["article"][0]["id"] == BASE + "eli/by-cc/art/368"


def test_the_page_and_an_html_result(live: LiveServer) -> None:
    page = requests.get(f"{live.url}/xref", timeout=60).text
    assert 'enctype="multipart/form-data"' in page and f"{live.url}/reconcile" in page
    r = requests.post(f"{live.url}/xref", files={"file": ("annex.csv", ANNEX.encode())}, data={"format": "html"},
                      timeout=120)
    assert r.headers["Content-Type"].startswith("text/html")
    assert 'href="/id/person/zinaida-kazak"' in r.text and "3 match" in r.text


@pytest.mark.parametrize(("body", "status", "says"), [
    ("name\nАлесь Бяляцкі\n".encode("cp1251"), 422, "not UTF-8: byte 0xc0 at line 2, column 1"),
    (b"Kazak Zinaida,1970\nAleh Hulak,1971\n", 422, "no header naming the names"),
    (b'name\n=HYPERLINK("http://evil","click")\n', 422, "line 2, column 'name'"),
    (("name\n" + "Kazak\n" * 100_000).encode(), 413, "100,000 rows; at most 5,000"),
    (("name\n" + "Kazak Zinaida\n" * 100_000).encode(), 413, "the CSV is larger than 1,048,576 bytes"),
    (b"", 400, "no CSV"),
])
def test_bad_files_are_refused_saying_what_and_where(live: LiveServer, body: bytes, status: int, says: str) -> None:
    r = requests.post(f"{live.url}/xref.csv", data=body, headers={"Content-Type": "text/csv"}, timeout=120)
    assert r.status_code == status and says in r.text, r.text[:400]


def test_an_oversized_upload_is_told_in_words_for_a_list(live: LiveServer) -> None:
    big = ("name\n" + "Kazak Zinaida\n" * 100_000).encode()
    r = requests.post(f"{live.url}/xref", files={"file": ("annex.csv", big, "text/csv")}, timeout=120,
                      headers={"Accept": "text/html"})
    assert r.status_code == 413 and "split the list into files of at most 5,000 rows" in r.text
    assert "query" not in r.text  # not the endpoint's wording for SPARQL clients
    r = requests.post(f"{live.url}/reconcile", data={"queries": "x" * 2_000_000}, timeout=120)
    assert r.status_code == 413 and "smaller batches" in r.text


def test_the_command_line(live: LiveServer, tmp_path: Path) -> None:
    annex = tmp_path / "annex.csv"
    annex.write_text(ANNEX, encoding="utf-8")
    out = tmp_path / "out.csv"
    cmd = [sys.executable, "-m", "hrgraph.cli", "--root", str(live.settings.root), "xref", str(annex),
           "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=_env(live))
    assert done.returncode == 0, done.stderr
    assert "7 rows: 3 match, 2 candidates, 1 no match, 1 empty" in done.stderr
    assert rows_of(out.read_text(encoding="utf-8"))[0]["match_iri"] == BASE + "id/person/zinaida-kazak"
    bad = tmp_path / "bad.csv"
    bad.write_bytes("name\nАлесь\n".encode("cp1251"))
    refused = subprocess.run([*cmd[:-3], str(bad)], capture_output=True, text=True, timeout=300, env=_env(live))
    assert refused.returncode == 2 and "not UTF-8" in refused.stderr


def test_the_command_line_takes_a_list_longer_than_an_upload(live: LiveServer, tmp_path: Path) -> None:
    """The row limit protects the public server; on the build's machine a list of any length is cross-referenced
    (before, `hrgraph xref` refused 6,000 rows as "at most 5,000 in one upload")."""
    rows = 6_000
    annex = tmp_path / "long.csv"
    annex.write_text("name\n" + "".join(("Kazak Zinaida\n", "Nobody Whatsoever\n")[i % 2] for i in range(rows)),
                     encoding="utf-8")
    out = tmp_path / "out.csv"
    done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(live.settings.root), "xref",
                           str(annex), "--out", str(out)], capture_output=True, text=True, timeout=300, env=_env(live))
    assert done.returncode == 0, done.stderr
    assert f"{rows:,} rows" not in done.stderr and f"{rows} rows: 3000 match, 3000 no match" in done.stderr
    assert len(rows_of(out.read_text(encoding="utf-8"))) == rows


def _env(live: LiveServer) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("HRGRAPH_STORE", None)  # the command reads the site's embedded store
    return env


def test_xref_json_refuses_in_json(live: LiveServer) -> None:
    """A program posting to /xref.json reads its refusal as JSON whatever its Accept (it was text/plain)."""
    r = requests.post(f"{live.url}/xref.json", data="name\nАлесь\n".encode("cp1251"),
                      headers={"Content-Type": "text/csv", "Accept": "*/*"}, timeout=60)
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/json")
    assert "not UTF-8" in r.json()["error"]["message"]
    big = requests.post(f"{live.url}/xref.json", data=("name\n" + "Kazak Zinaida\n" * 100_000).encode(),
                        headers={"Content-Type": "text/csv"}, timeout=120)
    assert big.status_code == 413 and "split the list" in big.json()["error"]["message"]
