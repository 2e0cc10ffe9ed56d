"""Pages for people over the real server: home (counts, inline SVG charts, links), class indexes with
accent-insensitive search, facets and paging, escaping; a headless-browser check when Chromium exists."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import quote

import pytest
import requests
from test_resources import HUB_MENTIONS, site  # noqa: F401  (the shared server fixture)

from hrgraph.config import Settings

from conftest import LiveServer

ART_342 = "https://w3id.org/hrgraph/eli/webtest-code/art/342"
VIASNA = "https://w3id.org/hrgraph/id/organisation/webtest-viasna"


def page(server: LiveServer, path: str) -> str:
    r = requests.get(server.url + path, timeout=10)
    assert r.status_code == 200, (path, r.status_code)
    assert r.headers["Content-Type"].startswith("text/html")
    return r.text


def test_home_counts_charts_and_links(site: LiveServer) -> None:  # noqa: F811
    html = page(site, "/")
    assert "<svg" in html and "<script" not in html  # charts drawn server-side, no JS
    assert "Persons recognised as political prisoners, by year of recognition" in html
    # One chart per legal code, and the recognition without a year shown as undated, not dropped.
    assert "Persons charged under the Criminal Code (webtest), by article" in html
    assert "Persons charged under the Code of Administrative Offences (webtest), by article" in html
    assert 'href="/persons?year=undated"' in html
    assert f'href="/persons?article={quote(ART_342, safe="")}"' in html
    assert 'href="/sparql"' in html and 'href="/dumps/hrgraph.ttl"' in html
    assert 'href="/persons"><strong>' in html


def test_index_lists_members(site: LiveServer) -> None:  # noqa: F811
    html = page(site, "/persons")
    assert 'href="/id/person/webtest-ales"' in html
    listed = html.split('class="results"')[1]
    assert 'href="/id/person/' in listed and 'href="/eli/' not in listed  # only persons listed
    assert 'href="/id/charge/webtest-ch-1"' in page(site, "/claims")
    assert 'href="/eli/webtest-code/art/342"' in page(site, "/provisions")


@pytest.mark.parametrize(("q", "expected"), [
    ("zlobinskaja", "webtest-iryna"),  # label "Žlobinskaja": accents folded
    ("VIEBTESTOVIC", "webtest-ales"),  # altLabel "Viebtestovič": case and accents folded
    ("Вебтэставіч", "webtest-ales"),  # Cyrillic altLabel
])
def test_search_is_case_and_accent_insensitive(site: LiveServer, q: str, expected: str) -> None:  # noqa: F811
    results = page(site, f"/persons?q={quote(q)}").split('class="results"')[1]
    assert f'href="/id/person/{expected}"' in results
    assert results.count('href="/id/person/') == 1


def test_facets_narrow_and_count(site: LiveServer) -> None:  # noqa: F811
    by_article = page(site, f"/persons?article={quote(ART_342, safe='')}").split('class="results"')[1]
    assert 'href="/id/person/webtest-ales"' in by_article and "webtest-iryna" not in by_article
    by_org = page(site, f"/persons?org={quote(VIASNA, safe='')}&year=2022").split('class="results"')[1]
    assert 'href="/id/person/webtest-ales"' in by_org and "webtest-iryna" not in by_org
    html = page(site, "/persons?year=2022")
    results = html.split('class="results"')[1]
    assert 'href="/id/person/webtest-ales"' in results and "webtest-iryna" not in results
    facets = html.split('class="facets"')[1].split("</aside>")[0]
    assert "Viasna Webtest Centre" in facets and 'class="chosen"' in facets
    # A value the build does not know selects nobody and says so, rather than being dropped or spliced into a query.
    html = page(site, "/persons?article=%3E%20%7D%20DROP&year=20x3")
    assert 'class="total">0 persons' in html and "&gt; } DROP" in html.split('class="facets"')[1]


def test_index_paging(site: LiveServer) -> None:  # noqa: F811
    size = Settings().page_size
    first = page(site, "/statements")
    assert first.split('class="results"')[1].count('href="/id/statement/') == size
    assert 'rel="next" href="/statements?page=2"' in first
    second = page(site, "/statements?page=2")
    assert 'rel="prev"' in second and second.split('class="results"')[1].count("webtest-hub-") <= HUB_MENTIONS
    assert requests.get(site.url + "/statements?page=x", timeout=10).status_code == 400


def test_search_text_is_escaped(site: LiveServer) -> None:  # noqa: F811
    html = page(site, "/persons?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    listing = page(site, "/persons?q=webtest")
    assert "<script>alert" not in listing and "&lt;script&gt;alert(&#39;xss&#39;)" in listing


def test_stylesheet(site: LiveServer) -> None:  # noqa: F811
    r = requests.get(site.url + "/static/style.css", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/css")


def test_real_build_home_and_indexes(live: LiveServer) -> None:
    assert "<svg" in page(live, "/")
    for slug in ("persons", "organisations", "statements", "provisions", "mechanisms", "claims"):
        page(live, f"/{slug}")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on PATH (/usr/bin/chromium missing): "
                    "the headless DOM check runs where Debian's chromium package is installed")
def test_person_page_in_headless_chromium(site: LiveServer) -> None:  # noqa: F811
    out = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          site.url + "/id/person/webtest-ales"], capture_output=True, text=True, timeout=60)
    dom = out.stdout
    assert "<h1>Ales Webtestovich</h1>" in dom  # followed the 303 to the HTML document
    assert "We recognise Ales Webtestovich as a political prisoner &lt;b&gt;now&lt;/b&gt;" in dom
    xss = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          site.url + "/id/person/webtest-xss.html"], capture_output=True, text=True, timeout=60)
    assert "<script>alert" not in xss.stdout


def test_a_persons_note_is_shown(live: LiveServer) -> None:
    r = requests.get(live.url + "/id/person/mikalai-klimovich.html", timeout=30)
    assert r.status_code == 200
    assert '<p class="note">Note: Political prisoner; died in Penal Colony No. 3 (Vićba)' in r.text
