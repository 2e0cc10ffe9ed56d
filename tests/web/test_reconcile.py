"""The Reconciliation Service API 0.2 at /reconcile, driven the way OpenRefine drives it (manifest, form-encoded
`queries=`, preview, suggest, property proposals, form-encoded `extend=`), every answer validated with
jsonschema against the specification's schemas (src/hrgraph/web/reconciliation/, copied from the
specification with its examples in tests/web/reconciliation/examples/), on both back-ends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from hrgraph.config import Settings
from hrgraph.pipeline.build import build

from conftest import Backend, LiveServer, copy_project, serving

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "src" / "hrgraph" / "web" / "reconciliation"
EXAMPLES = Path(__file__).parent / "reconciliation" / "examples"
BASE = "https://w3id.org/hrgraph/"
PERSON = BASE + "ontology#Person"


def _schemas() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(SCHEMAS.glob("*.json"))}


ALL = _schemas()
REGISTRY = Registry().with_resources((s["$id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT7))
                                     for s in ALL.values())


def validator(name: str) -> Draft7Validator:
    return Draft7Validator(ALL[name], registry=REGISTRY)


def valid(name: str, document: Any) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]
    assert not errors, errors[:5]


# Which schema each example folder (and each answer of the service) is checked against.
FOLDERS = {"manifest": "manifest.json", "reconciliation-query-batch": "reconciliation-query-batch.json",
           "reconciliation-result-batch": "reconciliation-result-batch.json",
           "suggest-entities-response": "suggest-entities-response.json",
           "suggest-properties-response": "suggest-properties-response.json",
           "suggest-types-response": "suggest-types-response.json",
           "data-extension-query": "data-extension-query.json",
           "data-extension-response": "data-extension-response.json",
           "data-extension-property-proposal": "data-extension-property-proposal.json"}


def test_every_schema_is_known_and_checks_the_specifications_examples() -> None:
    """The validator is real: the examples marked valid pass and those marked invalid fail."""
    assert set(ALL) == {*FOLDERS.values(), "type.json", "openapi.json"}
    checked = 0
    for folder, schema in FOLDERS.items():
        for example in sorted((EXAMPLES / folder).glob("*/*.json")):
            errors = list(validator(schema).iter_errors(json.loads(example.read_text(encoding="utf-8"))))
            assert bool(errors) == (example.parent.name == "invalid"), (example, errors[:1])
            checked += 1
    assert checked >= 40
    valid("type.json", {"id": PERSON, "name": "Person", "broader": [{"id": BASE + "ontology#Agent", "name": "A"}]})
    assert list(validator("openapi.json").iter_errors({"swagger": "2.0"}))  # Swagger's: info and paths missing


# The specification's folder as the team receives it (beside the checkouts); absent on a clean clone in CI.
SHARED = next((p / "shared" / "conformance" / "reconciliation-api-0.2" for p in REPO.parents
               if (p / "shared" / "conformance" / "reconciliation-api-0.2").is_dir()), None)


@pytest.mark.skipif(SHARED is None, reason="the shared conformance folder is not beside this checkout")
def test_the_copies_are_the_shared_schemas_and_examples() -> None:
    """Responses are validated against the copies: they must be the specification's files, byte for byte."""
    assert SHARED is not None
    for folder, copy in (("schemas", SCHEMAS), ("examples", EXAMPLES)):
        theirs = {p.relative_to(SHARED / folder): p.read_bytes() for p in (SHARED / folder).rglob("*.json")}
        ours = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*.json")}
        assert theirs and ours == theirs, sorted(set(theirs) ^ set(ours))[:5]


def reconcile(live: LiveServer, queries: dict[str, Any]) -> dict[str, Any]:
    """As OpenRefine sends a batch: POST, form-encoded, `queries=` holding the JSON."""
    valid("reconciliation-query-batch.json", queries)
    r = requests.post(f"{live.url}/reconcile", data={"queries": json.dumps(queries)}, timeout=120)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json") and r.headers["Access-Control-Allow-Origin"] == "*"
    valid("reconciliation-result-batch.json", r.json())
    return r.json()


def test_manifest(live: LiveServer) -> None:
    r = requests.get(f"{live.url}/reconcile", timeout=60)
    manifest = r.json()
    valid("manifest.json", manifest)
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == BASE
    assert {t["id"] for t in manifest["defaultTypes"]} >= {PERSON, BASE + "ontology#LegalProvision"}
    assert manifest["preview"]["url"].startswith(live.url) and "{{id}}" in manifest["preview"]["url"]
    assert manifest["batchSize"] == 500


def test_queries_as_openrefine_sends_them(live: LiveServer) -> None:
    out = reconcile(live, {
        "q0": {"query": "Kazak Zinaida", "type": PERSON, "type_strict": "should"},
        "q1": {"query": "Зеленкевич Валентина", "type": "person", "limit": 3},
        "q2": {"query": "Zelenkevich", "type": PERSON},
        "q3": {"query": "Klimovich Mikalai", "properties": [{"pid": "article", "v": "Art. 368"}]},
        "q4": {"query": "Klimovich Mikalai", "properties": [{"pid": "article", "v": ["342", "ст. 361-1"]}]},
        "q5": {"query": "Viasna", "type": [BASE + "ontology#Organisation"]},
        "q6": {"query": "Art. 342", "type": "provision"},
        "q7": {"query": "zinaida-kazak"},
        "q8": {"query": "Nobody Whatsoever"},
        "q9": {"query": "КАЗАК Зинаида Ивановна", "type": PERSON},  # with a patronymic, as court records write
    })
    top = {k: v["result"][0] if v["result"] else None for k, v in out.items()}
    assert top["q0"]["id"] == BASE + "id/person/zinaida-kazak" and top["q0"]["match"] is True
    assert top["q0"]["type"] == [{"id": PERSON, "name": "Person"}] and "former" in top["q0"]["description"]
    assert top["q1"]["id"] == BASE + "id/person/valiantsina-zeliankevich" and top["q1"]["match"] is True
    assert top["q2"]["id"] == BASE + "id/person/valiantsina-zeliankevich" and top["q2"]["match"] is False  # surname
    assert top["q3"]["match"] is True and {"id": "article", "value": True} in top["q3"]["features"]
    assert top["q4"]["match"] is False and {"id": "article", "value": False} in top["q4"]["features"]
    assert top["q4"]["score"] < top["q3"]["score"]
    assert top["q5"]["id"] == BASE + "id/organisation/viasna"
    assert top["q6"]["id"] == BASE + "eli/by-cc/art/342"
    assert top["q7"]["id"] == BASE + "id/person/zinaida-kazak" and top["q7"]["score"] == 100
    assert out["q8"]["result"] == []
    assert top["q9"]["id"] == BASE + "id/person/zinaida-kazak" and top["q9"]["match"] is True
    for result in out.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)


def test_a_query_of_properties_alone_finds_who_fits(live: LiveServer) -> None:
    """A spreadsheet row with an article and a status but no name column: candidates that fit both, never a
    match (no name was compared)."""
    out = reconcile(live, {
        "q0": {"type": PERSON, "properties": [{"pid": "status", "v": "deceased"}]},
        "q1": {"properties": [{"pid": "article", "v": "ст. 368"},
                              {"pid": "recognisedBy", "v": "human rights community"}]},
        "q2": {"type": "organisation", "properties": [{"pid": "status", "v": "deceased"}]},  # persons only
    })
    assert [c["id"] for c in out["q0"]["result"]] == [BASE + "id/person/mikalai-klimovich"]
    assert [c["id"] for c in out["q1"]["result"]] == [BASE + "id/person/mikalai-klimovich"]
    best = out["q0"]["result"][0]
    assert best["match"] is False and {"id": "status", "value": True} in best["features"]
    assert out["q2"]["result"] == []


def test_get_queries_jsonp_and_preflight(live: LiveServer) -> None:
    queries = json.dumps({"a": {"query": "Kazak Zinaida"}})
    r = requests.get(f"{live.url}/reconcile", params={"queries": queries}, timeout=60)
    valid("reconciliation-result-batch.json", r.json())
    jsonp = requests.get(f"{live.url}/reconcile", params={"queries": queries, "callback": "jQuery_123"}, timeout=60)
    assert jsonp.headers["Content-Type"].startswith("application/javascript")
    body = jsonp.text.removeprefix("/**/")
    assert body.startswith("jQuery_123(") and body.endswith(");")
    valid("reconciliation-result-batch.json", json.loads(body[len("jQuery_123("):-2]))
    bad = requests.get(f"{live.url}/reconcile", params={"callback": "alert(1)//"}, timeout=60)
    assert bad.status_code == 400
    pre = requests.options(f"{live.url}/reconcile", headers={"Origin": "https://openrefine.example",
                                                             "Access-Control-Request-Method": "POST"}, timeout=60)
    assert pre.status_code == 204 and pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]


def test_preview_view_and_flyout(live: LiveServer) -> None:
    manifest = requests.get(f"{live.url}/reconcile", timeout=60).json()
    iri = BASE + "id/person/mikalai-klimovich"
    url = manifest["preview"]["url"].replace("{{id}}", requests.utils.quote(iri, safe=""))
    r = requests.get(url, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert "Mikalai Klimovich" in r.text and "deceased" in r.text and "Article 368" in r.text
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
    view = requests.get(manifest["view"]["url"].replace("{{id}}", requests.utils.quote(iri, safe="")),
                        allow_redirects=False, timeout=60)
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/person/mikalai-klimovich")
    fly = manifest["suggest"]["entity"]
    flyout = requests.get(fly["service_url"] + fly["flyout_service_path"].replace("${id}", requests.utils.quote(iri)),
                          timeout=60).json()
    assert flyout["id"] == iri and "Mikalai Klimovich" in flyout["html"]
    assert requests.get(f"{live.url}/reconcile/preview", params={"id": BASE + "id/person/nobody"},
                        timeout=60).status_code == 404


def test_suggest_entities_types_and_properties(live: LiveServer) -> None:
    manifest = requests.get(f"{live.url}/reconcile", timeout=60).json()

    def suggest(kind: str, prefix: str, **extra: str) -> list[dict[str, Any]]:
        service = manifest["suggest"][kind]
        r = requests.get(service["service_url"] + service["service_path"], params={"prefix": prefix, **extra},
                         timeout=60)
        schema = {"entity": "suggest-entities-response.json", "type": "suggest-types-response.json",
                  "property": "suggest-properties-response.json"}[kind]
        valid(schema, r.json())
        return r.json()["result"]

    assert suggest("entity", "zin")[0]["id"] == BASE + "id/person/zinaida-kazak"
    assert suggest("entity", "Зяленкевіч")[0]["id"] == BASE + "id/person/valiantsina-zeliankevich"
    assert any(s["id"] == BASE + "id/organisation/viasna" for s in suggest("entity", "vias", type="organisation"))
    assert all(s["notable"][0]["id"] == BASE + "ontology#Organisation"
               for s in suggest("entity", "human", type="organisation"))
    assert [s["id"] for s in suggest("type", "pers")] == [PERSON]
    assert {s["id"] for s in suggest("property", "birth")} == {"birthYear"}
    assert {s["id"] for s in suggest("property", "art")} == {"article"}
    page1, page2 = suggest("entity", "s"), suggest("entity", "s", cursor="10")
    assert len(page1) == 10 and not {s["id"] for s in page1} & {s["id"] for s in page2}


def test_properties_and_extension_as_openrefine_asks(live: LiveServer) -> None:
    proposal = requests.get(f"{live.url}/reconcile/properties", params={"type": PERSON}, timeout=60).json()
    valid("data-extension-property-proposal.json", proposal)
    ids = {p["id"] for p in proposal["properties"]}
    assert {"status", "article", "recognisedBy", "recognitionDate", "sentence", "statement", "mechanism",
            "evidence", "sourceUrl"} <= ids
    people = [BASE + "id/person/mikalai-klimovich", BASE + "id/person/pavel-seviarynets",
              BASE + "id/person/zinaida-kazak", BASE + "id/person/nobody"]
    query = {"ids": people, "properties": [{"id": p} for p in sorted(ids)] + [
        {"id": "recognisedBy", "settings": {"limit": 1}}]}
    valid("data-extension-query.json", query)
    r = requests.post(f"{live.url}/reconcile", data={"extend": json.dumps(query)}, timeout=120)
    assert r.status_code == 200, r.text
    out = r.json()
    valid("data-extension-response.json", out)
    rows = out["rows"]
    assert set(rows) == set(people)
    assert rows[people[0]]["status"] == [{"str": "deceased"}]
    article = {"id": BASE + "eli/by-cc/art/368", "name": "Criminal Code of Belarus, Article 368"}
    assert article in rows[people[0]]["article"]
    assert rows[people[1]]["sentence"] == [{"str": "15 days of administrative detention"}]
    assert rows[people[2]]["status"] == [{"str": "former"}]
    assert rows[people[2]]["recognitionDate"] == [{"str": "2024-03-22"}]
    assert any(v["id"].startswith(BASE + "id/evidence/") for v in rows[people[2]]["evidence"])
    assert rows[people[3]]["status"] == []


@pytest.mark.parametrize(("data", "status", "says"), [
    ({"queries": "{not json"}, 400, "queries is not JSON"),
    ({"queries": json.dumps({"q": {"limit": 3}})}, 400, "not a valid reconciliation-query-batch"),
    ({"queries": json.dumps({"q": {"query": "x", "type": "planet"}})}, 400, "unknown type 'planet'"),
    ({"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "shoeSize", "v": 1}]}})}, 400,
     "unknown property 'shoeSize'"),
    ({"queries": json.dumps({"q": {"query": "a" * 5000}})}, 400, "5,000 characters long"),
    ({"extend": json.dumps({"ids": ["x"], "properties": [{"id": "colour"}]})}, 400, "unknown property 'colour'"),
    ({"queries": json.dumps({f"q{i}": {"query": "Kazak"} for i in range(10_000)})}, 413, "10,000 queries"),
])
def test_bad_batches_say_what_is_wrong(live: LiveServer, data: dict[str, str], status: int, says: str) -> None:
    r = requests.post(f"{live.url}/reconcile", data=data, timeout=120)
    assert r.status_code == status and says in r.text, r.text[:400]
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    # The app's one error shape, in JSON whatever the client accepts (requests sends `*/*`).
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json()["error"]["status"] == status and says in r.json()["error"]["message"]


def test_errors_of_every_reconciliation_route_are_json(live: LiveServer) -> None:
    """JSON for the API's routes (a JSONP caller included: a browser runs no script with an error status),
    by Accept for the preview and view a browser opens."""
    for path, params in (("/reconcile", {"callback": "alert(1)//"}),
                         ("/reconcile", {"queries": "{", "callback": "cb"}),
                         ("/reconcile/suggest/entity", {"prefix": ""}),
                         ("/reconcile/properties", {"type": "planet"}),
                         ("/reconcile/flyout/entity", {"id": BASE + "id/person/nobody"})):
        r = requests.get(live.url + path, params=params, headers={"Accept": "text/html"}, timeout=60)
        assert r.status_code in (400, 404) and r.headers["Content-Type"].startswith("application/json"), path
        assert r.json()["error"]["status"] == r.status_code and r.json()["error"]["message"], r.text
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    page = requests.get(live.url + "/reconcile/preview", params={"id": BASE + "id/person/nobody"},
                        headers={"Accept": "text/html"}, timeout=60)
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    view = requests.get(live.url + "/reconcile/view", headers={"Accept": "text/plain"}, timeout=60)
    assert view.status_code == 400 and view.text.startswith("400 Bad Request: id is missing")


@pytest.mark.parametrize("send", [{"json": {"queries": {"q0": {"query": "Kazak Zinaida"}}}}, {"data": {"query": "x"}},
                                  {}])
def test_a_post_without_queries_or_extend_is_refused_not_answered_with_the_manifest(
        live: LiveServer, send: dict[str, Any]) -> None:
    """Before, a POST with a JSON body (the draft 1.0 way) or a misnamed field got the manifest with 200, which a
    client reads as an answer with no results."""
    r = requests.post(f"{live.url}/reconcile", timeout=60, **send)
    assert r.status_code == 400 and "form field `queries`" in r.text and "form-encoded" in r.text, r.text[:300]
    assert r.headers["Access-Control-Allow-Origin"] == "*"


BORN = """@prefix schema: <http://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hr: <https://w3id.org/hrgraph/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/hrgraph/id/person/zinaida-kazak> schema:birthDate "1960-05-01"^^xsd:date .
<https://w3id.org/hrgraph/id/person/zinaida-kazak-1985> a hr:Person ; rdfs:label "Zinaida Kazak"@en ;
    schema:birthDate "1985"^^xsd:gYear .
"""


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real data plus birth dates read from RDF (`build --input`, as a cross-referenced list would bring
    them) and a namesake of Zinaida Kazak born 1985: a birth year is then what tells them apart."""
    root = copy_project(tmp_path_factory.mktemp("namesakes"))
    (root / "born.ttl").write_text(BORN, encoding="utf-8")
    assert build(Settings(root=root, inputs=(root / "born.ttl",))).published
    return root


def test_a_birth_year_tells_namesakes_apart(namesakes: Path, backend: Backend) -> None:
    """Birth year as a reconciliation condition and as a CSV column, written alone or as a date of birth (before,
    '01.05.1960' was read as the year 01 and held against both namesakes)."""
    kazak, other = BASE + "id/person/zinaida-kazak", BASE + "id/person/zinaida-kazak-1985"
    with serving(namesakes, backend=backend) as live:
        out = reconcile(live, {
            "alone": {"query": "Kazak Zinaida", "type": PERSON},
            "1960": {"query": "Kazak Zinaida", "properties": [{"pid": "birthYear", "v": "1960"}]},
            "1985": {"query": "Kazak Zinaida", "properties": [{"pid": "birthYear", "v": 1985}]},
            "date": {"query": "Kazak Zinaida", "properties": [{"pid": "birthYear", "v": "01.05.1960"}]},
            "vague": {"query": "Kazak Zinaida", "properties": [{"pid": "birthYear", "v": "60"}]},
            "no name": {"properties": [{"pid": "birthYear", "v": "1985"}]},
        })
        assert {c["id"] for c in out["alone"]["result"]} == {kazak, other}
        assert not any(c["match"] for c in out["alone"]["result"])  # two namesakes: never matched alone
        for key, who in (("1960", kazak), ("1985", other), ("date", kazak)):
            best, second = out[key]["result"][:2]
            assert (best["id"], best["match"]) == (who, True), key
            assert {"id": "birthYear", "value": True} in best["features"]
            assert {"id": "birthYear", "value": False} in second["features"] and second["score"] < best["score"]
        assert not any(f["id"] == "birthYear" for c in out["vague"]["result"] for f in c["features"])
        assert [c["id"] for c in out["no name"]["result"]] == [other]
        rows = requests.post(f"{live.url}/xref.json", headers={"Content-Type": "text/csv"}, timeout=60,
                             data="name;дата рождения\nKazak Zinaida;01.05.1960\nКазак Зинаида;1985\n".encode()).json()
        assert [(r["status"], r["candidates"][0]["id"]) for r in rows["rows"]] == [("match", kazak), ("match", other)]


def test_types_by_curie_or_another_vocabulary_and_bad_paging(live: LiveServer) -> None:
    """`hr:Person`, schema.org's `Person` and `Organization` name our kinds (every person is a schema:Person in the
    graph); a cursor or limit that is no number is a 400, not silently the first page (both were before)."""
    out = reconcile(live, {"a": {"query": "Kazak Zinaida", "type": "hr:Person"},
                           "b": {"query": "Kazak Zinaida", "type": "http://schema.org/Person"},
                           "c": {"query": "Viasna", "type": "schema:Organization"}})
    assert [out[k]["result"][0]["id"] for k in "abc"] == [BASE + "id/person/zinaida-kazak"] * 2 + [
        BASE + "id/organisation/viasna"]
    for path, params in (("suggest/entity", {"prefix": "ka", "cursor": "abc"}),
                         ("suggest/entity", {"prefix": "ka", "cursor": "-5"}),
                         ("properties", {"type": PERSON, "limit": "ten"})):
        r = requests.get(f"{live.url}/reconcile/{path}", params=params, timeout=60)
        assert r.status_code == 400 and "whole number" in r.text, (path, params, r.text[:200])
