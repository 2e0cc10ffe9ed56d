"""Every list is data, over the real server on both back-ends: indexes and facet selections as HTML, CSV and JSON
(by extension, `format=` and Accept) with the IRIs in them; facets that combine (one facet's values: any; facets:
all), count per value and hide what is empty; persons found by name as search finds them; exported CSV that
no spreadsheet runs as a formula; reconciliation by properties alone. The `site` graph is
tests/fixtures/web.ttl (with sample.ttl): Ales (current, Viasna, 2022, Art. 342, raised with the WGAD), Iryna
(former: recognised by the Helsinki committee in 2023 and by Viasna in 2024, Art. 361-1), the formula person
(deceased, an undated recognition by Viasna, an administrative article)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import requests
from test_resources import site  # noqa: F401  (the shared server fixture)

from conftest import LiveServer

BASE = "https://w3id.org/hrgraph/"
ALES, IRYNA, FORMULA = (BASE + f"id/person/webtest-{k}" for k in ("ales", "iryna", "formula"))
VIASNA, BAHC = BASE + "id/organisation/webtest-viasna", BASE + "id/organisation/webtest-bahc"
ART_342, ART_2334 = BASE + "eli/webtest-code/art/342", BASE + "eli/webtest-coao/art/23.34"
WGAD = BASE + "id/mechanism/webtest-wgad"
CRIT_B = BASE + "vocab/pp-guidelines-2013/3.1-b"


def get(server: LiveServer, path: str, **kw: Any) -> requests.Response:
    r = requests.get(server.url + path, timeout=60, **kw)
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return r


def listed(server: LiveServer, params: list[tuple[str, str]]) -> dict[str, Any]:
    return get(server, "/persons.json", params=params).json()


def ids(body: dict[str, Any]) -> set[str]:
    return {item["id"] for item in body["items"]}


def counts(body: dict[str, Any], facet: str) -> dict[str, int]:
    return {v["value"]: v["count"] for v in body["facets"].get(facet, [])}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize(("path", "headers", "media"), [
    ("/persons", {"Accept": "text/html"}, "text/html"),
    ("/persons", {}, "text/html"),  # a client that says nothing (*/*) gets the page
    ("/persons", {"Accept": "application/json"}, "application/json"),
    ("/persons", {"Accept": "text/csv"}, "text/csv"),
    ("/persons.json", {"Accept": "text/html"}, "application/json"),  # the extension wins over Accept
    ("/persons.csv", {}, "text/csv"),
    ("/persons.html", {"Accept": "application/json"}, "text/html"),
    ("/persons?format=csv", {}, "text/csv"),
    ("/statements.json", {}, "application/json"),
    ("/claims", {"Accept": "text/csv"}, "text/csv"),
])
def test_every_index_in_every_format(site: LiveServer, path: str, headers: dict[str, str],  # noqa: F811
                                     media: str) -> None:
    r = get(site, path, headers=headers)
    assert r.headers["Content-Type"].startswith(media) and r.headers["Vary"] == "Accept"
    if media == "text/csv":
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert csv_rows(r.text)[0]["id"].startswith(BASE)  # the IRIs are in it


def test_formats_refused_saying_why(site: LiveServer) -> None:  # noqa: F811
    assert requests.get(site.url + "/persons.xlsx", timeout=30).status_code == 404
    r = requests.get(site.url + "/persons", headers={"Accept": "image/png"}, timeout=30)
    assert r.status_code == 406 and "text/csv" in r.text
    r = requests.get(site.url + "/persons.json?page=0", timeout=30)
    assert r.status_code == 400 and "page must be a positive integer" in r.json()["error"]["message"]
    r = requests.get(site.url + "/persons.json", params={"q": "x" * 5000}, timeout=30)
    assert r.status_code == 400 and "5,000 characters" in r.json()["error"]["message"]


def test_one_facets_values_are_or_and_facets_are_and(site: LiveServer) -> None:  # noqa: F811
    assert ids(listed(site, [("org", VIASNA)])) == {ALES, IRYNA, FORMULA}
    assert ids(listed(site, [("org", BAHC)])) == {IRYNA}
    webtest = {ALES, IRYNA, FORMULA}
    assert ids(listed(site, [("year", "2022"), ("year", "2023")])) & webtest == {ALES, IRYNA}  # OR within a facet
    assert ids(listed(site, [("org", VIASNA), ("year", "2022")])) == {ALES}  # AND across facets
    assert ids(listed(site, [("org", VIASNA), ("year", "2022"), ("year", "2024")])) == {ALES, IRYNA}
    assert ids(listed(site, [("article", ART_342), ("article", ART_2334)])) == {ALES, FORMULA}
    assert ids(listed(site, [("mechanism", WGAD)])) >= {ALES, IRYNA}  # statements about them went to the WGAD
    assert ids(listed(site, [("criterion", CRIT_B)])) >= {IRYNA}


def test_status_is_current_former_or_deceased(site: LiveServer) -> None:  # noqa: F811
    assert ALES in ids(listed(site, [("status", "current")]))
    assert ids(listed(site, [("status", "former")])) & {ALES, IRYNA, FORMULA} == {IRYNA}  # latest says former
    assert ids(listed(site, [("status", "deceased")])) == {FORMULA}  # a death in custody is recorded
    assert BASE + "id/person/webtest-xss" in ids(listed(site, [("status", "not recognised")]))


def test_counts_per_value_and_empty_facets_hidden(site: LiveServer) -> None:  # noqa: F811
    body = listed(site, [("org", VIASNA)])
    years = counts(body, "year")
    # Within Viasna's persons, what each year would give; the undated recognition is counted, not dropped.
    assert years["2022"] == 1 and years["2024"] == 1 and years["undated"] == 1 and years["2023"] == 1
    assert counts(body, "org")[BAHC] == 1 and counts(body, "org")[VIASNA] == 3  # the facet's own choice is left out
    assert body["total"] == 3 and {v["value"] for v in body["facets"]["org"] if v["chosen"]} == {VIASNA}
    narrow = listed(site, [("year", "2022")])  # Ales only: no deceased, no administrative article
    assert "deceased" not in counts(narrow, "status") and ART_2334 not in counts(narrow, "article")
    nobody = listed(site, [("org", BAHC), ("status", "deceased")])
    assert nobody["total"] == 0 and nobody["items"] == []
    assert set(nobody["facets"]) == {"org", "status"}  # the chosen stay shown (to be removed); the rest hide
    assert [v for v in nobody["facets"]["status"] if v["value"] == "deceased"][0]["chosen"]


def test_html_facets_link_to_combined_selections(site: LiveServer) -> None:  # noqa: F811
    html = get(site, "/persons", params=[("org", VIASNA)]).text
    facets = html.split('class="facets"')[1].split("</aside>")[0]
    assert '<section class="facet" data-facet="year">' in facets and "undated" in facets
    # Adding a year keeps the organisation; the chosen organisation's link removes it.
    assert f'href="/persons?org={requests.utils.quote(VIASNA, safe="")}&amp;year=2022"' in facets
    assert '<h3>Code of Administrative Offences (webtest)</h3>' in facets  # articles under their code
    assert "Art. 23.34 (mass events)" in facets
    results = html.split('class="results"')[1]
    assert results.count('href="/id/person/') == 3 and ">CSV</a>" in results
    assert f'href="/persons.csv?org={requests.utils.quote(VIASNA, safe="")}"' in results


def test_csv_is_the_whole_selection_and_never_a_formula(site: LiveServer) -> None:  # noqa: F811
    r = get(site, "/persons.csv", params=[("org", VIASNA)])
    rows = {row["id"]: row for row in csv_rows(r.text)}
    assert set(rows) == {ALES, IRYNA, FORMULA}
    assert rows[FORMULA]["name"].startswith("'=HYPERLINK(")  # written as text, never run
    assert rows[FORMULA]["status"] == "deceased" and f"<{ART_2334}>" in rows[FORMULA]["article"]
    assert rows[IRYNA]["recognition_year"] == "2023 | 2024"
    assert f"Viasna Webtest Centre <{VIASNA}>" in rows[IRYNA]["recognised_by"]
    for line in r.text.lstrip("\ufeff").splitlines():
        assert not any(cell.startswith(("=", "+", "@")) for cell in next(csv.reader([line])))


def test_json_pages_with_links(site: LiveServer) -> None:  # noqa: F811
    first = get(site, "/statements.json").json()
    assert first["total"] > first["page_size"] and len(first["items"]) == first["page_size"]
    assert first["links"]["next"] == "/statements.json?page=2" and "prev" not in first["links"]
    second = get(site, first["links"]["next"]).json()
    assert second["page"] == 2 and not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    every = csv_rows(get(site, "/statements.csv").text)
    assert len(every) == first["total"]  # CSV: every page at once


def test_a_name_search_within_the_facets(site: LiveServer) -> None:  # noqa: F811
    body = listed(site, [("q", "Вебтэставіч")])  # Cyrillic spelling of Ales's surname
    assert ids(body) == {ALES} and body["items"][0]["matched_spelling"] == "Алесь Вебтэставіч"
    assert counts(body, "status") == {"current": 1}  # the counts are of the matches
    assert ids(listed(site, [("q", "Webtestovich Ales"), ("status", "former")])) == set()
    assert ids(listed(site, [("q", "Zlobinskaja"), ("org", VIASNA)])) == {IRYNA}


def test_search_results_as_data_with_several_kinds(site: LiveServer) -> None:  # noqa: F811
    params = [("q", "webtest"), ("kind", "person"), ("kind", "organisation")]
    body = get(site, "/search.json", params=params).json()
    assert {r["kind"] for r in body["results"]} == {"person", "organisation"}
    rows = csv_rows(get(site, "/search.csv", params=params).text)
    assert {r["kind"] for r in rows} == {"person", "organisation"} and all(r["id"].startswith(BASE) for r in rows)
    assert not [r for r in rows if r["name"].startswith("=")]


def test_reconciliation_by_properties_alone(site: LiveServer) -> None:  # noqa: F811
    queries = {"q0": {"type": "person", "properties": [{"pid": "status", "v": "deceased"}]},
               "q1": {"properties": [{"pid": "article", "v": "Art. 342"}, {"pid": "recognisedBy", "v": "Viasna"}]},
               "q2": {"properties": [{"pid": "recognitionDate", "v": "2022"}]}}  # no facet holds it: nothing
    r = requests.post(site.url + "/reconcile", data={"queries": json.dumps(queries)}, timeout=60)
    assert r.status_code == 200, r.text
    out = r.json()
    assert [c["id"] for c in out["q0"]["result"]] == [FORMULA]
    assert [c["id"] for c in out["q1"]["result"]] == [ALES] and out["q1"]["result"][0]["match"] is False
    assert out["q2"]["result"] == []
