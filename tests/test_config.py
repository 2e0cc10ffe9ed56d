"""The settings table: read once from the environment with clear errors, and documented from itself."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hrgraph.config import SETTINGS, ConfigError, Settings, markdown_table

REPO = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- settings:", "<!-- /settings -->"


def readme_table() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n", text.index(BEGIN)) + 1
    return text[start:text.index(END)]


def test_readme_documents_every_setting_from_the_table() -> None:
    assert readme_table() == markdown_table(), "README is stale: paste `python -m hrgraph.config` between the markers"


def test_every_variable_named_in_the_code_and_readme_is_a_setting() -> None:
    known = {s.env for s in SETTINGS}
    named = set()
    for path in [REPO / "README.md", *sorted((REPO / "src").rglob("*.py"))]:
        named |= set(re.findall(r"HRGRAPH_[A-Z_]*[A-Z]", path.read_text(encoding="utf-8")))
    named -= {"HRGRAPH_VIRTUOSO"}  # `HRGRAPH_VIRTUOSO_*` in prose
    assert named - known == set()


def test_only_config_reads_the_environment() -> None:
    readers = [p.relative_to(REPO) for p in sorted((REPO / "src").rglob("*.py"))
               if p.name != "config.py" and re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8"))]
    assert readers == []


def test_environment_values_are_typed() -> None:
    s = Settings.from_env({"HRGRAPH_QUERY_TIMEOUT": "2.5", "HRGRAPH_QUERY_WORKERS": "3", "HRGRAPH_RATE_LIMIT_LOOPBACK":
                           "yes", "HRGRAPH_ROOT": "/tmp/x", "HRGRAPH_BASE": "http://example.org/d", "HRGRAPH_GATE": ""})
    assert (s.query_timeout_s, s.query_workers, s.rate_limit_loopback) == (2.5, 3, True)
    assert s.root == Path("/tmp/x") and s.base == "http://example.org/d/" and s.gate_engine == "auto"
    assert Settings.from_env({"HRGRAPH_PORT": "9000"}, port=9100).port == 9100  # arguments win


@pytest.mark.parametrize(("env", "value", "says"), [
    ("HRGRAPH_QUERY_TIMEOUT", "soon", "HRGRAPH_QUERY_TIMEOUT='soon' is not a number"),
    ("HRGRAPH_QUERY_WORKERS", "2.5", "HRGRAPH_QUERY_WORKERS='2.5' is not a whole number"),
    ("HRGRAPH_RATE_LIMIT_LOOPBACK", "maybe", "HRGRAPH_RATE_LIMIT_LOOPBACK='maybe' is not true or false"),
    ("HRGRAPH_STORE", "sqlite", "HRGRAPH_STORE (setting store_backend) must be one of embedded, remote"),
    ("HRGRAPH_QUERY_WORKERS", "0", "HRGRAPH_QUERY_WORKERS (setting query_workers) must be at least 1, not 0"),
    ("HRGRAPH_RATE_LIMIT", "-1", "HRGRAPH_RATE_LIMIT (setting rate_limit_per_s) must be at least 0"),
])
def test_a_bad_value_names_its_variable(env: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({env: value})
    assert says in str(caught.value)


def test_the_cli_exits_2_naming_the_variable(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(tmp_path), "serve"],
                          env={"HRGRAPH_PORT": "eighty", "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2
    assert "HRGRAPH_PORT='eighty' is not a whole number" in proc.stderr and "Traceback" not in proc.stderr


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cyclic collector frees it


def test_freezing_long_lived_objects_keeps_them_from_the_collector_until_the_next_call() -> None:
    """What is alive at the call leaves the collector's passes (frozen); the next call gives it back first, so
    what became garbage in between (a build no longer served) is collected then."""
    import gc
    import weakref

    from hrgraph.config import freeze_long_lived

    try:
        dead = weakref.ref(_Node())  # garbage already: collected, not frozen
        held = _Node()
        alive = weakref.ref(held)
        freeze_long_lived()
        assert dead() is None and gc.get_freeze_count() > 0
        del held
        gc.collect()
        assert alive() is not None  # frozen: the collector does not see the cycle
        freeze_long_lived()
        assert alive() is None
    finally:
        gc.unfreeze()


def test_a_build_let_go_gives_what_was_frozen_back_to_the_collector() -> None:
    """When the server closes a build it no longer serves, what was frozen (the build's in-memory copy among
    it) is collected even in a reference cycle, with or without the warm-up that freezes again."""
    import gc
    import weakref

    from hrgraph.config import freeze_long_lived
    from hrgraph.store.follow import Following

    class Build:
        def __init__(self, name: str) -> None:
            self.build_id, self.me = name, self  # a cycle: only the collector frees it

        def close(self) -> None:
            pass

    serving = ["one"]
    try:
        stores = Following(lambda: serving[0], Build, interval_s=0)
        first = weakref.ref(stores.checkout())
        stores.checkin(first())
        freeze_long_lived()
        serving[0] = "two"
        assert stores.refresh()
        gc.collect()
        assert first() is None
    finally:
        gc.unfreeze()
