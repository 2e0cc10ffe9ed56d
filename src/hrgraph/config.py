"""One settings object for every stage, built once (defaults, then HRGRAPH_* variables, then command-line
arguments) and passed explicitly: no other module reads the environment.

The settings table is the `Settings` dataclass itself: each field made by `setting()` is one row (name,
environment variable, type from the annotation, default, help). `SETTINGS` lists those rows for the README
(`python -m hrgraph.config` prints the table the README carries, and a test keeps the two in step, as
Datasette does with its settings). Fields made without `setting()` (`inputs`) are per-run arguments of a
command, not settings.

A value that cannot be read (`HRGRAPH_QUERY_TIMEOUT=soon`, `HRGRAPH_STORE=sqlite`) or that is out of range
raises `ConfigError` naming the variable; the CLI prints it and exits 2. An empty variable counts as unset.
"""

from __future__ import annotations

import ctypes
import gc
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

from hrgraph.errors import HrgraphError
from hrgraph.model.namespaces import CANONICAL_BASE


class ConfigError(HrgraphError):
    """A setting that cannot be read or is out of range; the message names the variable."""


def _project_root() -> Path:
    """The checkout that holds `data/`: the working directory, else the source tree above this file."""
    cwd = Path.cwd()
    if (cwd / "data" / "curated").is_dir():
        return cwd
    return Path(__file__).resolve().parents[2]


def setting(default: Any, env: str, help: str, *, choices: tuple[str, ...] = (), minimum: float | None = 0,
            shown: str | None = None) -> Any:
    """A field of `Settings` that is a row of the settings table. `minimum` bounds numbers (None: any);
    `shown` is how the README writes a default that is computed (`root`)."""
    meta = {"env": env, "help": help, "choices": choices, "minimum": minimum, "shown": shown}
    if callable(default):
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


MIB = 1024 * 1024
CONTACT = re.compile(r"^(?:mailto:)?[^@\s:/]+@[^@\s/]+\.[^@\s/]+$|^https?://\S+$")


@dataclass(frozen=True)
class Settings:
    # --- where things are and what they are called
    root: Path = setting(_project_root, "HRGRAPH_ROOT", "project folder holding `data/`, `ontology/`, `shapes/`, "
                         "`queries/`; `dist/` and `var/` are written under it (also `--root`)",
                         shown="the working directory if it holds `data/curated/`, else the source checkout")
    base: str = setting(CANONICAL_BASE, "HRGRAPH_BASE", "base IRI of the data (`{base}id/person/…`); a missing "
                        "final `/` is added (also `--base`)")
    # --- serving
    host: str = setting("127.0.0.1", "HRGRAPH_HOST", "address `serve` listens on (also `serve --host`)")
    port: int = setting(8000, "HRGRAPH_PORT", "port `serve` listens on (also `serve --port`)", minimum=1)
    processes: int = setting(0, "HRGRAPH_PROCESSES", "server processes sharing the port (0: one per core); "
                             "per-client rates are divided among them (README \"Serving on every core\")")
    page_size: int = setting(50, "HRGRAPH_PAGE_SIZE", "items per page of an index and of a resource's incoming "
                             "links", minimum=1)
    max_result_rows: int = setting(10_000, "HRGRAPH_HTML_MAX_ROWS", "rows shown in an HTML result table (the "
                                   "machine formats are capped by `HRGRAPH_QUERY_MAX_ROWS`)", minimum=1)
    index_sort_limit: int = setting(1000, "HRGRAPH_INDEX_SORT_LIMIT", "an index page sorts at most this many "
                                    "matches by name; beyond, pages come in the store's order and say so")
    # 32, not more: every document is also in the build's kept file, read in tens of microseconds, so more
    # only grows each process (256 grew each by ~380 MiB over 100,000 documents, at the same speed).
    document_cache_mb: int = setting(32, "HRGRAPH_DOCUMENT_CACHE_MB", "MiB of rendered resource documents kept "
                                     "in each server process's memory (least recently used out first; 0 turns the "
                                     "cache off), in front of the build's kept file")
    kept_mb: int = setting(4096, "HRGRAPH_KEPT_MB", "MiB of answers computed from a build (saved-query results, "
                           "rendered documents) kept on disk inside the build's folder, shared by the server's "
                           "processes and across restarts, deleted with the build (0: none kept)")
    memory_triples: int = setting(2_000_000, "HRGRAPH_MEMORY_TRIPLES", "a published build of at most this many "
                                  "triples is also held in memory by each server process (and its warmer) for the "
                                  "pages' own queries: lookups 10-20× faster than on disk, ~420 MiB per process per "
                                  "1M triples (README \"Serving on every core\"); 0: never")
    warmup: bool = setting(True, "HRGRAPH_WARMUP", "run each saved query once in the background when a server "
                           "starts serving a build, keeping the answers (one query worker is busy meanwhile)")
    # --- the dataset as it is cited and described (VoID, every page's footer)
    publisher: str = setting("hrgraph", "HRGRAPH_PUBLISHER", "who publishes the dataset: its name in VoID "
                             "(`dct:publisher`) and in the citation every page gives")
    contact: str = setting("", "HRGRAPH_CONTACT", "where readers write about the data (corrections, questions): "
                           "an e-mail or https address, in VoID (`dcat:contactPoint`) and every page's footer; "
                           "empty: the site's home page says the operator has not given one")
    source_date_epoch: int = setting(0, "SOURCE_DATE_EPOCH", "the day the build gives as the data's last "
                                     "modification (VoID `dct:modified`), in seconds since 1970, as reproducible "
                                     "builds set it; 0: the day the newest input file was modified")
    # --- cross-referencing (README "Cross-referencing a list of names")
    search_max_chars: int = setting(200, "HRGRAPH_SEARCH_MAX_CHARS", "characters of a search, suggestion or "
                                    "reconciliation query; longer ones are refused with 400", minimum=1)
    reconcile_batch: int = setting(500, "HRGRAPH_RECONCILE_BATCH", "reconciliation queries (or data extension "
                                   "ids) in one request; more are refused with 413 (the manifest's `batchSize`)",
                                   minimum=1)
    xref_max_rows: int = setting(5000, "HRGRAPH_XREF_MAX_ROWS", "rows of a CSV cross-referenced in one upload; "
                                 "more are refused with 413", minimum=1)
    # --- limits of a public endpoint (README "Limits")
    query_timeout_s: float = setting(30.0, "HRGRAPH_QUERY_TIMEOUT", "seconds a client query may run; then the "
                                     "worker is killed and replaced and the client gets 504. `timeout=N` may "
                                     "shorten it, never lengthen it", minimum=0.001)
    query_max_rows: int = setting(100_000, "HRGRAPH_QUERY_MAX_ROWS", "rows of a result; beyond, it is cut and "
                                  "says so (`X-HRGraph-Truncated: rows=N`)", minimum=1)
    query_max_bytes: int = setting(32 * MIB, "HRGRAPH_QUERY_MAX_BYTES", "bytes of a serialized result; beyond, "
                                   "it is cut and says so (`X-HRGraph-Truncated: bytes=N`)", minimum=1,
                                   shown="`33554432` (32 MiB)")
    query_workers: int = setting(2, "HRGRAPH_QUERY_WORKERS", "worker processes that run client queries over the "
                                 "embedded store", minimum=1)
    query_queue: int = setting(16, "HRGRAPH_QUERY_QUEUE", "requests allowed to wait for a worker; beyond, 503 "
                               "with `Retry-After`")
    query_per_client: int = setting(0, "HRGRAPH_QUERY_PER_CLIENT", "client queries one client may run at once "
                                    "(0: one fewer than the query workers, at least 1); beyond, 429 at once")
    query_strikes: int = setting(3, "HRGRAPH_QUERY_STRIKES", "client queries of one client that may time out or "
                                 "stop a query worker within `HRGRAPH_QUERY_PENALTY` seconds; at that many, its "
                                 "queries are refused (429) for that long (0: never)")
    query_penalty_s: float = setting(60.0, "HRGRAPH_QUERY_PENALTY", "seconds over which strikes are counted, and "
                                     "for which a client that reached `HRGRAPH_QUERY_STRIKES` is refused")
    query_memory_mb: int = setting(2048, "HRGRAPH_QUERY_MEMORY_MB", "address-space limit of each query worker "
                                   "in MiB (0: none; a worker needs some 600 MiB)")
    max_body_bytes: int = setting(MIB, "HRGRAPH_MAX_BODY", "bytes of a request body; beyond, 413",
                                  shown="`1048576` (1 MiB)")
    rate_limit_per_s: float = setting(10.0, "HRGRAPH_RATE_LIMIT", "requests per second per client (token bucket; "
                                      "0 turns it off); beyond, 429 with `Retry-After`")
    rate_limit_burst: int = setting(100, "HRGRAPH_RATE_BURST", "requests a client may send at once before the "
                                    "rate applies", minimum=1)
    rate_limit_loopback: bool = setting(False, "HRGRAPH_RATE_LIMIT_LOOPBACK", "limit loopback clients too (by "
                                        "default tests, benchmarks and a local proxy are not limited)")
    connection_limit: int = setting(1000, "HRGRAPH_CONNECTIONS", "open connections the server accepts; beyond, new "
                                    "ones wait in the listen backlog", minimum=1)
    connections_per_client: int = setting(100, "HRGRAPH_CONNECTIONS_PER_CLIENT", "open connections one client "
                                          "address may have (0: any; not applied behind `HRGRAPH_TRUSTED_PROXY`); "
                                          "beyond, a new one is closed at once")
    request_timeout_s: float = setting(20.0, "HRGRAPH_REQUEST_TIMEOUT", "seconds a client has to send a whole "
                                       "request once it started (headers trickled byte by byte, a slow body); "
                                       "then it is disconnected", minimum=1)
    trusted_proxy: str = setting("", "HRGRAPH_TRUSTED_PROXY", "the load balancer's address (`*`: any): the "
                                 "client address for rate limits is then taken from its `X-Forwarded-For`, and "
                                 "that header is dropped from anyone else")
    # --- the store
    follow_s: float = setting(1.0, "HRGRAPH_FOLLOW", "seconds between two looks of a server for a newly published "
                              "build (the embedded store's `current`, the remote store's active build), which it "
                              "then serves on every surface (0: never)")
    store_backend: str = setting("embedded", "HRGRAPH_STORE", "`embedded` (pyoxigraph under `var/store`) or "
                                 "`remote` (a SPARQL 1.1 endpoint)", choices=("embedded", "remote"))
    sparql_url: str = setting("", "HRGRAPH_SPARQL_URL", "the remote endpoint's query URL (readers need only "
                              "that: anonymous, read-only SPARQL)")
    remote_build: str = setting("", "HRGRAPH_REMOTE_BUILD", "serve this loaded build instead of the active one "
                                "(a preview, or pinning a node during a roll-out)")
    # --- building
    gate_engine: str = setting("auto", "HRGRAPH_GATE", "SHACL engine of the build's gate: `auto` (hrgraph's "
                               "engine, pySHACL for shapes it refuses) or `pyshacl` (the reference validator, "
                               "slow)", choices=("auto", "pyshacl"))
    virtuoso_isql: str = setting("", "HRGRAPH_VIRTUOSO_ISQL", "the build host only: `host:port` of Virtuoso's SQL "
                                 "port, for publishing to a remote store")
    virtuoso_user: str = setting("dba", "HRGRAPH_VIRTUOSO_USER", "the build host only: a Virtuoso account "
                                 "allowed to bulk load")
    virtuoso_password: str = setting("dba", "HRGRAPH_VIRTUOSO_PASSWORD", "the build host only: its password")
    virtuoso_load_dir: str = setting("", "HRGRAPH_VIRTUOSO_LOAD_DIR", "the build host only: a folder the build "
                                     "writes and Virtuoso reads (in its `DirsAllowed`), at the same path on both")
    publish_unreviewed: bool = setting(False, "HRGRAPH_PUBLISH_UNREVIEWED", "also publish extracted claims no "
                                       "curator reviewed, marked `hr:reviewStatus` unreviewed and \"(unreviewed)\" "
                                       "in their label (by default only what a curator accepted with `hrgraph "
                                       "review` is published; also `build --publish-unreviewed`)")
    curator: str = setting("", "HRGRAPH_CURATOR", "the curator's name `hrgraph review` records with each decision "
                           "(kept in `data/curated/reviews.yaml`, never published; also `review --by`)",
                           shown="the login name")
    # --- per run, not settings: set by a command's arguments
    inputs: tuple[Path, ...] = ()  # `build --input`: RDF files added to the build

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")
        for row in SETTINGS:
            row.check(getattr(self, row.name))
        if self.contact and not CONTACT.match(self.contact):
            raise ConfigError(f"HRGRAPH_CONTACT must be an e-mail address or an http(s) URL, not {self.contact!r}")

    @property
    def contact_iri(self) -> str:
        """The contact as an IRI (`mailto:` for an e-mail address), "" when none is set."""
        if not self.contact or self.contact.startswith(("http://", "https://", "mailto:")):
            return self.contact
        return "mailto:" + self.contact

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

    @property
    def build_lock(self) -> Path:
        """Held by a running build (`hrgraph build`), so a second one cannot interleave with it."""
        return self.root / "var" / "build.lock"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then HRGRAPH_* variables (of `environ`, default the process's), then explicit overrides
        (None: not given). ConfigError names the variable whose value cannot be read."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {row.name: row.parse(environ[row.env]) for row in SETTINGS if environ.get(row.env)}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    env: str
    type: type
    default: object
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = 0
    shown: str | None = None

    def parse(self, raw: str) -> object:
        """The value of the variable's text; ConfigError naming the variable when it cannot be read."""
        text = raw.strip()
        if self.type is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise ConfigError(f"{self.env}={raw!r} is not true or false (use 1/0, true/false, yes/no, on/off)")
        if self.type in (int, float):
            try:
                return self.type(text)
            except ValueError:
                kind = "a whole number" if self.type is int else "a number"
                raise ConfigError(f"{self.env}={raw!r} is not {kind}", hint=self.help) from None
        return Path(text) if self.type is Path else text

    def check(self, value: object) -> None:
        """ConfigError when `value` is outside the setting's choices or below its minimum."""
        if self.choices and value not in self.choices:
            raise ConfigError(f"{self.env} (setting {self.name}) must be one of {', '.join(self.choices)}, "
                              f"not {value!r}")
        if self.type in (int, float) and self.minimum is not None and value < self.minimum:  # type: ignore[operator]
            raise ConfigError(f"{self.env} (setting {self.name}) must be at least {self.minimum:g}, not {value}")

    @property
    def type_name(self) -> str:
        if self.choices:
            return " \\| ".join(f"`{c}`" for c in self.choices)
        return {bool: "true/false", int: "integer", float: "number", str: "text", Path: "path"}[self.type]

    @property
    def default_text(self) -> str:
        if self.shown:
            return self.shown
        if self.type is bool:
            return "true" if self.default else "false"
        if self.default == "":
            return "(empty)"
        return f"`{self.default}`"


def _rows() -> tuple[Setting, ...]:
    hints = get_type_hints(Settings)

    return tuple(Setting(f.name, f.metadata["env"], hints[f.name], None if f.default is MISSING else f.default,
                         f.metadata["help"],
                         f.metadata["choices"], f.metadata["minimum"], f.metadata["shown"])
                 for f in fields(Settings) if "env" in f.metadata)


SETTINGS: tuple[Setting, ...] = _rows()


def markdown_table(rows: tuple[Setting, ...] = SETTINGS) -> str:
    """The settings as the README's table: variable, type, default, what it does."""
    lines = ["| variable | type | default | what |", "|---|---|---|---|"]
    lines += [f"| `{r.env}` | {r.type_name} | {r.default_text} | {r.help} |" for r in rows]
    return "\n".join(lines) + "\n"


MALLOC_ARENAS = 2  # see `limit_malloc_arenas`
_M_ARENA_MAX = -8  # glibc's mallopt parameter


def limit_malloc_arenas(wanted: int = MALLOC_ARENAS) -> None:
    """At most `wanted` (2) malloc arenas in this process and in every process it starts (server processes,
    query workers, warmers inherit the environment). glibc gives each thread that allocates its own arena, up
    to 8 per core, and memory freed in one is not reused by the others: at 10M triples, after the bench's
    first requests and a day's mix of traffic, each server process held ~780 MiB (1,630 MiB for the server
    in all); with 2 arenas 240-680 MiB (930-1,020 MiB in all; `make bench-10m` 1,004). First requests at 10M
    stayed within one run's noise (persons 97 vs 117 req/s, claims HTML 380 vs 347, Turtle 435 vs 527): the
    GIL already lets one thread at a time allocate. An operator's own `MALLOC_ARENA_MAX` wins; not glibc:
    nothing."""
    arenas = os.environ.setdefault("MALLOC_ARENA_MAX", str(wanted))
    _mallopt(_M_ARENA_MAX, arenas)  # this process: set before its threads allocate


MMAP_THRESHOLD = 128 * 1024  # see `return_large_blocks`
_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def return_large_blocks(threshold: int = MMAP_THRESHOLD) -> None:
    """Blocks of 128 KiB and more straight from the OS and handed back to it when freed, in this process and
    every process it starts. glibc starts there too, but raises the threshold each time such a block is freed
    (up to 32 MiB), and from then on big buffers — a saved query's answer of 80,000 rows at 10M triples, a long
    document — come from the heap and their pages stay with the process. Measured at 10M, the bench's day of
    traffic after its first requests: a server process grew by 92 MiB on one saved query and kept it; with a
    fixed threshold it grew by 46 and gave 23 back (921 against 988 MiB for the server in all). An
    operator's own `MALLOC_MMAP_THRESHOLD_` wins; not glibc: nothing."""
    value = os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(threshold))
    _mallopt(_M_MMAP_THRESHOLD, value)  # fixed: glibc no longer moves it


def freeze_long_lived() -> None:
    """Take the objects alive now (modules, the app, its compiled templates, a build's facet index) out of the
    cyclic garbage collector's full passes, which otherwise walk all of them about once a second under load,
    holding the GIL: measured in a server process at 1M triples (~55,000 objects), each full pass took 13-28 ms
    of CPU, stalling every request of that process; with them frozen, 1-8 ms. Called once the server is ready
    and again once each new build's lists are made: what an earlier call froze goes back to the collector
    first, and a build the server lets go gives it all back (`store.follow`), so a build no longer served is
    collected like any garbage. Objects frozen are still freed when nothing refers to them."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _mallopt(parameter: int, value: str) -> None:
    try:
        ctypes.CDLL(None).mallopt(parameter, int(value))
    except (OSError, AttributeError, ValueError):
        pass


if __name__ == "__main__":
    sys.stdout.write(markdown_table())
