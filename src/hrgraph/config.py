"""One settings object for every stage: built from defaults, the environment or arguments, never a global."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from hrgraph.model.namespaces import CANONICAL_BASE


def _project_root() -> Path:
    """The checkout that holds `data/`: the working directory, else the source tree above this file."""
    cwd = Path.cwd()
    if (cwd / "data" / "curated").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=_project_root)
    base: str = CANONICAL_BASE
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout_s: float = 30.0
    max_result_rows: int = 10_000
    page_size: int = 50

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def curated_dir(self) -> Path:
        return self.data_dir / "curated"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def store_dir(self) -> Path:
        """Holds one directory per published build and the `current` symlink the server follows."""
        return self.root / "var" / "store"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then HRGRAPH_* environment variables, then explicit overrides."""
        env: dict[str, object] = {}
        if v := os.environ.get("HRGRAPH_ROOT"):
            env["root"] = Path(v)
        if v := os.environ.get("HRGRAPH_BASE"):
            env["base"] = v if v.endswith("/") else v + "/"
        if v := os.environ.get("HRGRAPH_QUERY_TIMEOUT"):
            env["query_timeout_s"] = float(v)
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)  # type: ignore[arg-type]
