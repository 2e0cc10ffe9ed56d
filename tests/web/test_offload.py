"""The persons' facet index and the catalogue of names, made once per build by a process of their own and
read back by the servers (web/offload.py): the same as made in place, kept in the build's folder across
restarts, never taken from another build (or base), and made in place when their process fails."""

from __future__ import annotations

import logging
import marshal
import os
import pickle
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hrgraph.config import Settings
from hrgraph.store.embedded import EmbeddedStore, open_current
from hrgraph.web import offload
from hrgraph.xref import catalogue, facets
from hrgraph.xref.facets import FACETS, FacetIndex

from conftest import children, serving

NAME = "Kazak Zinaida"  # a person of the curated data


@pytest.fixture
def root(built_root: Path, tmp_path: Path) -> Path:
    """A copy of the built site with nothing kept for its build yet."""
    site = tmp_path / "site"
    shutil.copytree(built_root, site, symlinks=True)
    shutil.rmtree(kept_folder(site), ignore_errors=True)
    return site


@pytest.fixture
def opened(root: Path) -> Iterator[tuple[Settings, EmbeddedStore, Path]]:
    """The copied site's settings, its published build opened read-only, and that build's kept folder (made)."""
    settings = Settings(root=root)
    store = open_current(settings)
    try:
        folder = store.cache_dir
        assert folder is not None
        folder.mkdir()
        yield settings, store, folder
    finally:
        store.close()


def kept_folder(site: Path) -> Path:
    return (site / "var/store/current").resolve() / "kept"


def same(a: FacetIndex, b: FacetIndex) -> None:
    assert (a.build_id, a.persons, a.names, a.position) == (b.build_id, b.persons, b.names, b.position)
    assert (a.bits, a.labels, a.groups, a.short) == (b.bits, b.labels, b.groups, b.short)
    assert [a.of(i) for i in range(len(a.persons))] == [b.of(i) for i in range(len(b.persons))]


def test_the_index_read_back_is_the_index_made(root: Path) -> None:
    store = open_current(Settings(root=root))
    try:
        made = facets.load(store)
    finally:
        store.close()
    assert len(made.persons) > 10 and sum(bool(made.of(i)) for i in range(len(made.persons))) == len(made.persons)
    somebody = next(i for i in range(len(made.persons)) if len(made.of(i)) > 2)
    for facet, values in made.of(somebody).items():  # each value of a person is a bit of theirs in that facet
        assert all(made.has(made.bits[facet][v], somebody) for v in values), facet
    assert [f.name for f in FACETS if f.name in made.of(somebody)] == list(made.of(somebody))
    same(facets.loads(facets.dumps(made)), made)


def short_of_one_person(index: FacetIndex) -> bytes:
    index.starts = index.starts[:-1]
    return facets.dumps(index)


@pytest.mark.parametrize("data", [b"", b"not an index", marshal.dumps({}), marshal.dumps({"x": 1}),
                                  marshal.dumps([1, 2, 3]), marshal.dumps("x"), marshal.dumps(5),
                                  marshal.dumps(None), marshal.dumps({"ids": b"", "starts": None}), "short"])
def test_what_is_not_an_index_is_refused(data: bytes | str, root: Path) -> None:
    if data == "short":
        store = open_current(Settings(root=root))
        try:
            data = short_of_one_person(facets.load(store))
        finally:
            store.close()
    with pytest.raises(ValueError):
        facets.loads(data)  # type: ignore[arg-type]


def test_servers_read_one_index_made_apart_and_kept_across_restarts(root: Path) -> None:
    env = {"HRGRAPH_PROCESSES": "2"}
    with serving(root, env=env) as live:
        listed = requests.get(f"{live.url}/persons", headers={"Accept": "application/json"}, timeout=60).json()
        kept = kept_folder(root) / "facets.bin"
        assert kept.is_file()
        made_at = kept.stat().st_mtime_ns
        for pid in children(live.process.pid):  # the process that made it has ended
            assert b"hrgraph.web.offload" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    store = open_current(Settings(root=root))
    try:
        in_place = facets.load(store)
        same(offload.read(offload.FACETS, kept.parent, store.build_id, Settings(root=root)), in_place)
    finally:
        store.close()
    assert listed["total"] == len(in_place.persons)
    with serving(root, env=env) as live:
        again = requests.get(f"{live.url}/persons", headers={"Accept": "application/json"}, timeout=60).json()
    assert again == listed
    assert kept.stat().st_mtime_ns == made_at  # read, not made again


def test_an_index_of_another_build_is_made_again(opened: tuple[Settings, EmbeddedStore, Path]) -> None:
    settings, store, folder = opened
    other = facets.load(store)
    other.build_id = "another-build"
    offload.write(offload.FACETS, folder, other)
    assert offload.facet_index(store, settings).build_id == store.build_id
    assert offload.read(offload.FACETS, folder, store.build_id, settings) is not None


def test_a_failed_index_process_leaves_the_index_made_in_place(root: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(offload, "_ENTRY", "import sys; sys.exit('no room for the index')")
    settings = Settings(root=root)
    store = open_current(settings)
    try:
        with caplog.at_level(logging.WARNING, logger=offload.__name__):
            index = offload.facet_index(store, settings)
        same(index, facets.load(store))
    finally:
        store.close()
    assert "no room for the index" in caplog.text


def test_a_build_folder_with_no_room_for_the_index_leaves_it_made_in_place(root: Path) -> None:
    settings = Settings(root=root)
    store = open_current(settings)
    try:
        assert store.cache_dir is not None
        store.cache_dir.write_text("a file where the kept folder would be")  # no folder can be made (root too)
        index = offload.facet_index(store, settings)
        assert index.build_id == store.build_id and index.persons
    finally:
        store.close()


def test_searches_read_the_catalogue_made_apart_and_the_warm_up_only_has_it_made(root: Path) -> None:
    """The warm-up has the catalogue's file made without reading it in (a server nobody searches need not hold
    it); a search then reads it, and finds what the catalogue made in place finds."""
    path = kept_folder(root) / "catalogue.bin"
    with serving(root, env={"HRGRAPH_PROCESSES": "1", "HRGRAPH_WARMUP": "1"}) as live:
        deadline = time.monotonic() + 60
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert path.is_file(), "the warm-up did not have the catalogue made"
        made_at = path.stat().st_mtime_ns
        found = requests.get(f"{live.url}/search.json", params={"q": NAME}, timeout=60)
        assert found.status_code == 200, found.text[:300]
    store = open_current(Settings(root=root))
    try:
        in_place = catalogue.load(store, Settings(root=root).base)
        kept = offload.read(offload.CATALOGUE, path.parent, store.build_id, Settings(root=root))
    finally:
        store.close()
    assert path.stat().st_mtime_ns == made_at
    assert kept is not None and kept.entities == in_place.entities
    assert [h.entity.iri for h in kept.search(NAME)] == [h.entity.iri for h in in_place.search(NAME)]
    served = [r["id"] for r in found.json()["results"]]
    assert served and served == [h.entity.iri for h in in_place.search(NAME)][:len(served)]


def test_a_catalogue_made_for_another_base_is_made_again(opened: tuple[Settings, EmbeddedStore, Path]) -> None:
    settings, store, folder = opened
    offload.write(offload.CATALOGUE, folder, catalogue.load(store, "https://elsewhere.example/"))
    assert offload.catalogue(store, settings).base == settings.base
    assert offload.read(offload.CATALOGUE, folder, store.build_id, settings) is not None


@pytest.mark.parametrize("data", [b"", b"not a pickle", pickle.dumps({"build_id": "x"}), pickle.dumps(None),
                                  pickle.dumps(os.system), pickle.dumps(shutil.rmtree)])
def test_what_is_not_a_catalogue_is_refused_without_running_anything(data: bytes) -> None:
    with pytest.raises(ValueError):
        offload.CATALOGUE.loads(data)


def test_a_file_of_another_version_or_damaged_is_made_again(opened: tuple[Settings, EmbeddedStore, Path]) -> None:
    settings, store, folder = opened
    path = folder / "facets.bin"
    in_place = facets.load(store)
    good = offload._header(offload.FACETS) + facets.dumps(in_place)
    for bad in (good.replace(b"hrgraph ", b"hrgraph 0.0.0-older ", 1),  # another version wrote it
                offload._header(offload.FACETS) + b"damaged"):
        path.write_bytes(bad)
        assert offload.read(offload.FACETS, folder, store.build_id, settings) is None
        same(offload.facet_index(store, settings), in_place)
        assert path.read_bytes() != bad  # made again, by its own process
        same(offload.read(offload.FACETS, folder, store.build_id, settings), in_place)


def test_the_warm_up_has_a_file_of_another_version_made_again(opened: tuple[Settings, EmbeddedStore, Path]) -> None:
    """`prepare` (the warm-up) reads only the file's first line, and makes a file another version wrote again."""
    settings, store, folder = opened
    path = folder / "catalogue.bin"
    path.write_bytes(b"hrgraph 0.0.0-older python 3.0 catalogue 1\nwhatever it held")
    offload.prepare(offload.CATALOGUE, store, settings)
    assert path.read_bytes().startswith(offload._header(offload.CATALOGUE))
    made_at = path.stat().st_mtime_ns
    offload.prepare(offload.CATALOGUE, store, settings)
    assert path.stat().st_mtime_ns == made_at  # this version's: left as it is


def test_a_failed_process_is_not_run_again_by_every_caller(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = root / "runs"
    monkeypatch.setattr(offload, "_ENTRY", f"import sys; open({str(runs)!r}, 'a').write('x'); sys.exit(1)")
    settings = Settings(root=root)
    store = open_current(settings)
    try:
        for _ in range(3):
            assert offload.facet_index(store, settings).build_id == store.build_id  # made in place
        assert runs.read_text() == "x"
        assert store.cache_dir is not None
        old = time.time() - offload.RETRY_S - 1
        os.utime(store.cache_dir / "facets.failed", (old, old))
        offload.facet_index(store, settings)
        assert runs.read_text() == "xx"  # tried again once the failure is old
    finally:
        store.close()
