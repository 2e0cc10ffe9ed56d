"""Keys that leave the dataset keep answering: a merged key with 301 to the survivor (and owl:sameAs in the
data), a key withdrawn by the curators with 410 Gone and a short tombstone, never a bare 404."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hrgraph.config import Settings
from hrgraph.pipeline.build import build

from conftest import Backend, LiveServer, copy_project, serving

RETIRED = """retired:
  - key: andrei-aliaksandrou
    of: persons
    merged_into: andrei-aliaksandrau
    note: an earlier spelling, merged when the registry found both
  - key: withdrawn-example
    of: persons
    withdrawn: withdrawn at the request of the person concerned
    date: 2024-05-01
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, backend: Backend) -> Iterator[LiveServer]:
    root = copy_project(tmp_path_factory.mktemp("retired"))
    (root / "data/curated/retired.yaml").write_text(RETIRED, encoding="utf-8")
    assert build(Settings(root=root)).exit_code == 0
    with serving(root, backend=backend) as server:
        yield server


def get(site: LiveServer, path: str, accept: str = "text/turtle") -> requests.Response:
    return requests.get(site.url + path, headers={"Accept": accept}, allow_redirects=False, timeout=10)


def test_a_merged_key_answers_301_to_the_survivor(site: LiveServer) -> None:
    resp = get(site, "/id/person/andrei-aliaksandrou")
    assert resp.status_code == 301
    assert resp.headers["Location"] == "/id/person/andrei-aliaksandrau"
    assert get(site, "/id/person/andrei-aliaksandrou.ttl").headers["Location"] == "/id/person/andrei-aliaksandrau.ttl"
    followed = requests.get(site.url + "/id/person/andrei-aliaksandrou", headers={"Accept": "text/turtle"}, timeout=10)
    assert followed.status_code == 200 and "Andrei Aliaksandrau" in followed.text


def test_the_merge_is_in_the_data_as_owl_same_as(site: LiveServer) -> None:
    ask = ("ASK { <https://w3id.org/hrgraph/id/person/andrei-aliaksandrou> "
           "<http://www.w3.org/2002/07/owl#sameAs> <https://w3id.org/hrgraph/id/person/andrei-aliaksandrau> }")
    resp = requests.get(site.url + "/sparql", params={"query": ask},
                        headers={"Accept": "application/sparql-results+json"}, timeout=10)
    assert resp.json()["boolean"] is True


@pytest.mark.parametrize("path,accept,media", [
    ("/id/person/withdrawn-example", "text/html", "text/html"),
    ("/id/person/withdrawn-example.ttl", "*/*", "text/turtle"),
    ("/id/person/withdrawn-example", "application/ld+json", "application/ld+json"),
])
def test_a_withdrawn_key_answers_410_with_a_tombstone(site: LiveServer, path: str, accept: str, media: str) -> None:
    resp = get(site, path, accept)
    assert resp.status_code == 410
    assert resp.headers["Content-Type"].startswith(media)
    assert "withdrawn at the request of the person concerned" in resp.text


def test_an_unknown_key_is_still_404(site: LiveServer) -> None:
    assert get(site, "/id/person/no-such-person").status_code == 404


def test_a_retired_record_without_a_fate_is_held_back(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    (root / "data/curated/retired.yaml").write_text("retired:\n  - key: x\n    of: persons\n", encoding="utf-8")
    result = build(Settings(root=root))
    assert result.exit_code == 1
    assert any("merged_into" in p.message for p in result.problems)
