"""The publish's commit point: dist/ is swapped after the new store is prepared and before it is activated;
a kill in between is completed by `reconcile_published` at the next build or serve."""

from __future__ import annotations

import json
from pathlib import Path

from hrgraph.store.embedded_publish import BUILD_FILE, CURRENT, prepare, reconcile_published

from conftest import embedded_only

pytestmark = embedded_only("the embedded store's commit protocol (prepare, dist/ swap, symlink); the remote "
                           "one (load, dist/ swap, pointer switch) is tested in test_remote_store.py")


def write_graph(path: Path, n: int) -> Path:
    path.write_text("".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(n)), encoding="utf-8")
    return path


def live_build(store_dir: Path) -> str:
    return (store_dir / CURRENT / BUILD_FILE).read_text(encoding="utf-8").strip()


def test_a_publish_killed_after_the_dist_swap_is_completed(tmp_path: Path) -> None:
    store_dir, dist = tmp_path / "store", tmp_path / "dist"
    dist.mkdir()
    old = prepare({"urn:g": write_graph(tmp_path / "a.nt", 3)}, store_dir, "old")
    (store_dir / CURRENT).symlink_to(old.name)
    prepare({"urn:g": write_graph(tmp_path / "b.nt", 5)}, store_dir, "new")  # prepared, then "killed"
    (dist / "build.json").write_text(json.dumps({"build_id": "new"}), encoding="utf-8")  # the commit point
    assert live_build(store_dir) == "old"
    assert reconcile_published(dist, store_dir) is True
    assert live_build(store_dir) == "new"
    assert reconcile_published(dist, store_dir) is False  # idempotent


def test_a_publish_killed_before_the_dist_swap_changes_nothing(tmp_path: Path) -> None:
    store_dir, dist = tmp_path / "store", tmp_path / "dist"
    dist.mkdir()
    old = prepare({"urn:g": write_graph(tmp_path / "a.nt", 3)}, store_dir, "old")
    (store_dir / CURRENT).symlink_to(old.name)
    (dist / "build.json").write_text(json.dumps({"build_id": "old"}), encoding="utf-8")
    prepare({"urn:g": write_graph(tmp_path / "b.nt", 5)}, store_dir, "new")  # killed before dist/ moved
    assert reconcile_published(dist, store_dir) is False
    assert live_build(store_dir) == "old"


def test_a_dist_swap_cut_between_its_renames_is_rolled_back(tmp_path: Path) -> None:
    store_dir, dist = tmp_path / "store", tmp_path / "dist"
    old = prepare({"urn:g": write_graph(tmp_path / "a.nt", 3)}, store_dir, "old")
    (store_dir / CURRENT).symlink_to(old.name)
    (tmp_path / "dist.old").mkdir()  # dist/ was renamed away; the kill came before the new one moved in
    (tmp_path / "dist.old" / "build.json").write_text(json.dumps({"build_id": "old"}), encoding="utf-8")
    assert reconcile_published(dist, store_dir) is False
    assert json.loads((dist / "build.json").read_text(encoding="utf-8"))["build_id"] == "old"
    assert live_build(store_dir) == "old"
