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
    claims = dom.split('<section class="claims" id="claims">')[1].split("</section>")[0]
    recognition = claims.split('id="claim-rec-000-1-andrei-aliaksandrau"')[1].split("</li>")[0]
    assert 'href="/id/recognition/rec-000-1-andrei-aliaksandrau">Recognised by Belarusian Helsinki Committee</a>' \
        in recognition
    # claims.yaml rec-000-1-andrei-aliaksandrau: the quote, linked to where it stands in 000_ea40ffb1ad6f29d2.txt
    assert "political prisoners Andrei Aliaksandrau and Iryna Zlobina" in recognition
    assert re.search(r'<a class="source" href="/id/source/000_ea40ffb1ad6f29d2#q-[^"]+">', recognition)


def test_a_person_page_opens_with_the_case(live: LiveServer) -> None:
    """Mikalai Klimovich (claims.yaml, events.yaml): deceased, recognised, charged under Article 368; the
    note that the date is the report's, not the death's, where an analyst needs it."""
    dom = dump_dom(live.url + "/id/person/mikalai-klimovich")
    summary = dom.split('<section class="summary"')[1].split("</section>")[0]
    assert re.search(r'<span class="status status-deceased">deceased</span>', summary)
    assert 'href="/eli/by-cc/art/368">Criminal Code of Belarus, Article 368</a>' in summary
    assert "Belarusian human rights community" in summary and "Raised with" in summary
    claims = dom.split('<section class="claims" id="claims">')[1].split("</section>")[0]
    titles = re.findall(r'<p class="claim-title"><span class="when">([^<]+)</span> <a href="[^"]+">([^<]+)</a>',
                        claims)
    assert ("undated", "Died in custody") in titles or ("undated", "Death in custody") in titles
    assert all(len(title) <= 80 and when for when, title in titles)  # short titles, each with its date
    assert "the date of the report, not of the death" in claims  # the note that matters, shown
    assert claims.count('<blockquote class="quote">') >= len(titles)
    summary_at, table_at = dom.index('<section class="summary"'), dom.index("All recorded facts")
    assert summary_at < table_at  # the summary first, the full table lower down
    table = dom[table_at:].split("</table>")[0]
    for unreadable in ("wasDerivedFrom", "prefLabel", "altLabel", "type", "schema:Person"):
        assert f">{unreadable}<" not in table, unreadable  # properties in words, no types, no repeated label
    assert ">other spellings</a>" in table and ">source document</a>" in table
    incoming = dom.split('id="incoming"')[1] if 'id="incoming"' in dom else ""
    assert "/id/recognition/" not in incoming and "/id/event/" not in incoming  # no claim repeated there
    assert "Cite this record:" in dom and "https://w3id.org/hrgraph/id/person/mikalai-klimovich." in dom


def test_a_source_page_shows_its_text_with_the_quotes_marked(live: LiveServer) -> None:
    dom = dump_dom(live.url + "/id/source/003_d134e3591f734dae")
    title = re.search(r"<h1>([^<]+)</h1>", dom).group(1)  # type: ignore[union-attr]
    assert title == "7 statements as listed on belhelcom.org/en" and "tag listing" not in title
    summary = dom.split('<section class="summary"')[1].split("</section>")[0]
    assert '<a href="https://belhelcom.org/en" rel="external">belhelcom.org/en</a>' in summary  # not "en"
    assert "Retrieved" in summary and "not recorded" in summary  # said, not left out
    text = dom.split('<section class="source-text" id="text">')[1].split("</section>")[0]
    marks = re.findall(r'<a class="anchor" id="q-([^"]+)"', text)
    assert len(marks) >= 40 and "<mark" in text
    assert "He was convicted under" in text
    quotes = dom.split('<section class="quotes" id="quotes">')[1].split("</section>")[0]
    assert len(re.findall(r'<li id="quote-', quotes)) >= len(set(marks))
    assert "Characters 1002" not in dom  # no rows of offsets in place of the text
    # The anchor a person page links to exists here.
    person = dump_dom(live.url + "/id/person/mikalai-klimovich")
    linked = set(re.findall(r'href="/id/source/003_d134e3591f734dae#q-([^"]+)"', person))
    assert linked and linked <= set(marks)


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


@pytest.mark.skipif(not YASGUI.is_file(), reason="YASGUI is not built into static/yasgui/ (run `make assets`)")
def test_query_editor_opens_with_the_common_prefixes(live: LiveServer) -> None:
    dom = dump_dom(f"{live.url}/sparql")
    lines = [re.sub(r"<[^>]+>", "", line)
             for line in re.findall(r'<pre class=" CodeMirror-line " role="presentation">(.*?)</pre>', dom)]
    assert "PREFIX hr: &lt;https://w3id.org/hrgraph/ontology#&gt;" in lines  # spelt out: the editor checks them
    assert "CodeMirror-lint-marker-error" not in dom  # and so finds no undeclared prefix in its first query
    assert "Predeclared prefixes" in dom


def test_search_page_finds_a_person_by_another_spelling(live: LiveServer) -> None:
    """What a person sees after typing a Russian spelling, surname first, into the search box."""
    dom = dump_dom(f"{live.url}/search?q={quote('Зеленкевич Валентина')}")
    hits = re.findall(r'<li class="hit" data-kind="(\w+)"[^>]*>\s*<a href="([^"]+)">([^<]+)</a>', dom)
    assert hits[0] == ("person", "/id/person/valiantsina-zeliankevich", "Valiantsina Zeliankevich")
    assert "former" in dom.split('class="description"')[1][:200]
    home = dump_dom(live.url + "/")
    assert re.search(r'<form class="sitesearch" method="get" action="/search"', home)
