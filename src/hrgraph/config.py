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
    inputs: tuple[Path, ...] = ()  # `build --input`: RDF files added to the build
    store_backend: str = "embedded"  # HRGRAPH_STORE: embedded (pyoxigraph) or remote (SPARQL 1.1 Protocol)
    sparql_url: str = ""  # HRGRAPH_SPARQL_URL: the remote endpoint's query URL
    remote_build: str = ""  # HRGRAPH_REMOTE_BUILD: serve this loaded build instead of following `active`
    remote_refresh_s: float = 5.0  # HRGRAPH_REMOTE_REFRESH: how often a server re-reads the active build
    # Publishing to a remote store (`build` with HRGRAPH_STORE=remote): Virtuoso's bulk loader through isql-vt.
    virtuoso_isql: str = ""  # HRGRAPH_VIRTUOSO_ISQL: host:port of Virtuoso's SQL port
    virtuoso_user: str = "dba"  # HRGRAPH_VIRTUOSO_USER
    virtuoso_password: str = "dba"  # HRGRAPH_VIRTUOSO_PASSWORD
    virtuoso_load_dir: str = ""  # HRGRAPH_VIRTUOSO_LOAD_DIR: a folder Virtuoso reads (in its DirsAllowed)
    # Hardening (docs: README "Limits"): client queries run in killable worker processes.
    query_workers: int = 2
    query_queue: int = 16  # requests allowed to wait for a worker; beyond that 503 + Retry-After
    query_max_rows: int = 100_000
    query_max_bytes: int = 32 * 1024 * 1024
    query_memory_mb: int = 2048  # RLIMIT_AS of each worker (0: no limit)
    max_body_bytes: int = 1024 * 1024
    rate_limit_per_s: float = 10.0  # per client, token bucket; 0 turns it off
    rate_limit_burst: int = 100
    rate_limit_loopback: bool = False  # loopback clients (tests, a local proxy) are not limited unless set
    # HRGRAPH_TRUSTED_PROXY: the load balancer's address ("*": any); the client address (rate limits) is then
    # taken from its X-Forwarded-For, and that header is dropped from anyone else.
    trusted_proxy: str = ""
    index_sort_limit: int = 1000  # index pages order at most this many matches by name (web/pages.py)
    document_cache_mb: int = 256  # rendered resource documents kept per build (web/doccache.py); 0: none
    # HRGRAPH_PUBLISH_UNREVIEWED: also publish extracted claims no curator reviewed, marked unreviewed
    # (pipeline/review); by default only accepted ones reach dist/ and the store.
    publish_unreviewed: bool = False

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
        for name, (attr, kind) in _ENV_FIELDS.items():
            if v := os.environ.get(name):
                env[attr] = v.lower() in ("1", "true", "yes", "on") if kind is bool else kind(v)
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)  # type: ignore[arg-type]


_ENV_FIELDS: dict[str, tuple[str, type]] = {
    "HRGRAPH_QUERY_TIMEOUT": ("query_timeout_s", float), "HRGRAPH_QUERY_WORKERS": ("query_workers", int),
    "HRGRAPH_QUERY_QUEUE": ("query_queue", int), "HRGRAPH_QUERY_MAX_ROWS": ("query_max_rows", int),
    "HRGRAPH_QUERY_MAX_BYTES": ("query_max_bytes", int), "HRGRAPH_QUERY_MEMORY_MB": ("query_memory_mb", int),
    "HRGRAPH_MAX_BODY": ("max_body_bytes", int), "HRGRAPH_RATE_LIMIT": ("rate_limit_per_s", float),
    "HRGRAPH_RATE_BURST": ("rate_limit_burst", int), "HRGRAPH_STORE": ("store_backend", str),
    "HRGRAPH_SPARQL_URL": ("sparql_url", str), "HRGRAPH_RATE_LIMIT_LOOPBACK": ("rate_limit_loopback", bool),
    "HRGRAPH_TRUSTED_PROXY": ("trusted_proxy", str),
    "HRGRAPH_REMOTE_BUILD": ("remote_build", str), "HRGRAPH_REMOTE_REFRESH": ("remote_refresh_s", float),
    "HRGRAPH_VIRTUOSO_ISQL": ("virtuoso_isql", str), "HRGRAPH_VIRTUOSO_USER": ("virtuoso_user", str),
    "HRGRAPH_VIRTUOSO_PASSWORD": ("virtuoso_password", str), "HRGRAPH_VIRTUOSO_LOAD_DIR": ("virtuoso_load_dir", str),
    "HRGRAPH_DOCUMENT_CACHE_MB": ("document_cache_mb", int),
    "HRGRAPH_INDEX_SORT_LIMIT": ("index_sort_limit", int),
    "HRGRAPH_PUBLISH_UNREVIEWED": ("publish_unreviewed", bool),
}
