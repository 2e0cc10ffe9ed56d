"""Headless Chromium on the REAL build: what a person sees after the browser has run the page (`--dump-dom`).

(a) a person page shows the name, a recognition, the evidence quote and a link to the source document;
(b) the query editor (YASGUI, built into static/yasgui/ by `make assets`) opened with a permalink
    `/sparql?query=...` runs the query itself and renders a results table holding the expected value.
Skipped, with the reason, when Chromium (or, for (b), YASGUI) is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import LiveServer

REPO = Path(__file__).resolve().parents[2]
YASGUI = REPO / "src" / "hrgraph" / "web" / "static" / "yasgui" / "yasgui.min.js"
CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).is_file()), None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (/usr/bin/chromium)")


def dump_dom(url: str, budget_ms: int = 10_000) -> str:
    """The DOM after scripts ran: virtual time lets timers and the page's own fetches finish first."""
    with tempfile.TemporaryDirectory(prefix="hrgraph-chromium-") as profile:
        cmd = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}",
               "--dump-dom", url]
        done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done.stdout.decode("utf-8")


def test_person_page_shows_name_recognition_quote_and_source(live: LiveServer) -> None:
    dom = dump_dom(live.url + "/id/person/andrei-aliaksandrau")
    assert "<h1>Andrei Aliaksandrau</h1>" in dom
    recognition = dom.split('class="claims recognition"')[1].split("</section>")[0]
    assert 'href="/id/recognition/rec-000-1-andrei-aliaksandrau"' in recognition
    # claims.yaml rec-000-1-andrei-aliaksandrau: the quote and its source file, 000_ea40ffb1ad6f29d2.txt
    assert "political prisoners Andrei Aliaksandrau and Iryna Zlobina" in recognition
    assert re.search(r'<a class="source" href="/id/source/000_ea40ffb1ad6f29d2">', recognition)


@pytest.mark.skipif(not YASGUI.is_file(), reason="YASGUI is not built into static/yasgui/ (run `make assets`)")
def test_query_editor_runs_a_permalinked_query(live: LiveServer) -> None:
    query = ("PREFIX hr: <https://w3id.org/hrgraph/ontology#>\n"
             "SELECT ?person WHERE { ?death a hr:DeathInCustody ; hr:person ?person }")
    dom = dump_dom(f"{live.url}/sparql?query={quote(query)}")
    assert "yasgui.min.js" in dom
    # YASGUI's own results table (DataTables), not the server-rendered fallback table.
    tables = re.findall(r'<table id="DataTables_Table_\d+".*?</table>', dom, flags=re.S)
    assert tables, "YASGUI rendered no results table"
    assert "https://w3id.org/hrgraph/id/person/mikalai-klimovich" in tables[0]  # events.yaml: the one death
    assert tables[0].count("<tr") == 2  # header and one row


def test_search_page_finds_a_person_by_another_spelling(live: LiveServer) -> None:
    """What a person sees after typing a Russian spelling, surname first, into the search box."""
    dom = dump_dom(f"{live.url}/search?q={quote('Зеленкевич Валентина')}")
    hits = re.findall(r'<li class="hit" data-kind="(\w+)"[^>]*>\s*<a href="([^"]+)">([^<]+)</a>', dom)
    assert hits[0] == ("person", "/id/person/valiantsina-zeliankevich", "Valiantsina Zeliankevich")
    assert "former" in dom.split('class="description"')[1][:200]
    home = dump_dom(live.url + "/")
    assert re.search(r'<form class="sitesearch" method="get" action="/search"', home)
