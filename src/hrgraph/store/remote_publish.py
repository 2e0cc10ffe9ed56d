"""Publishing a build into a remote endpoint, atomically: load beside the live build, then switch one pointer.

1. `load`: each file is bulk-loaded (Virtuoso's `ld_dir` + `rdf_loader_run`, through isql-vt) into the
   build's own physical graph (`buildgraphs.physical_name`); only when every file loaded cleanly is the
   build's graph mapping written to the control graph. A failure clears what was loaded and raises: the
   served build is untouched, and readers cannot see a build without a mapping.
2. `activate`: one SPARQL update moves `active` to the new build and `previous` to the old one. Virtuoso runs
   a statement in one transaction, so readers see the old pointer or the new one.
3. `prune`: builds that were once active, other than the new and the previous one, are dropped (the previous
   stays for a roll back by `activate`). A build left less than `grace_s` ago is kept too, whatever its place:
   servers switch within HRGRAPH_FOLLOW seconds, and a request that started on it runs at most the query time
   limit, so the build stays until nobody can still be reading it (the remote twin of the embedded store's
   leases); it goes at a later publish. Builds loaded but never activated (a preview pinned with
   HRGRAPH_REMOTE_BUILD) are left alone.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hrgraph.config import Settings
from hrgraph.errors import StoreError
from hrgraph.model.namespaces import CANONICAL_BASE
from hrgraph.store.base import published_graphs
from hrgraph.store.buildgraphs import C, build_node, control_graph, physical_name


@dataclass(frozen=True)
class Isql:
    """How to reach Virtuoso's SQL port with isql-vt (the Debian name of Virtuoso's isql)."""

    port: int
    user: str = "dba"
    password: str = "dba"
    host: str = "127.0.0.1"
    command: str = "isql-vt"

    def run(self, script: str, timeout_s: float = 3600.0) -> str:
        exe = shutil.which(self.command) or shutil.which("isql")
        if exe is None:
            raise StoreError("isql-vt is not installed", hint="apt-get install virtuoso-opensource")
        try:
            done = subprocess.run([exe, f"{self.host}:{self.port}", self.user, self.password], input=script,
                                  capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            raise StoreError(f"isql did not finish within {timeout_s:g} s", where=f"{self.host}:{self.port}") from exc
        output = done.stdout + done.stderr
        if done.returncode != 0 or "*** Error" in output:
            raise StoreError(f"isql failed: {output[-800:].strip()}", where=f"{self.host}:{self.port}",
                             hint="is Virtuoso running, and are HRGRAPH_VIRTUOSO_ISQL / _USER / _PASSWORD right?")
        return done.stdout


@dataclass(frozen=True)
class Target:
    """Where a build is published: Virtuoso's SQL port, a folder it may read, the dataset's control graph."""

    isql: Isql
    load_dir: Path
    control: str = control_graph(CANONICAL_BASE)

    def select(self, marker: str, where: str) -> list[str]:
        """Values of `?v` for a SPARQL pattern over the control graph, read out of isql's text table."""
        out = self.isql.run(f'SPARQL SELECT (CONCAT("{marker}=", STR(?v)) AS ?x) FROM <{self.control}> '
                            f"WHERE {{ {where} }};\n")
        return re.findall(rf"{marker}=(\S+)", out)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_TIME = "%Y-%m-%dT%H:%M:%SZ"  # sorts as text in time order


def _now() -> str:
    return datetime.now(UTC).strftime(_TIME)


def mapped_graphs(target: Target, build_id: str) -> int:
    """How many graphs the control graph maps for a build (0: not loaded, or still loading)."""
    return len(target.select("mapped", f"<{build_node(build_id)}> <{C}graph> ?v"))


def load(graphs: Mapping[str, Path], build_id: str, target: Target) -> bool:
    """Load each file into the build's physical graph for its public name; False when already loaded.
    `target.load_dir` must be readable by Virtuoso (files are copied there, one folder per graph)."""
    if mapped_graphs(target, build_id) == len(graphs):
        return False
    physical = {public: physical_name(build_id, public) for public in graphs}
    folders = {public: target.load_dir / physical[public].replace(":", "_") for public in graphs}
    try:
        statements = ["log_enable(3,1);"]  # no transaction log for the bulk: nobody reads these graphs yet
        for public, path in sorted(graphs.items()):
            statements += _load_statements(Path(path), folders[public], physical[public])
        pattern = _sql_string(f"{target.load_dir}/{build_node(build_id).replace(':', '_')}_%")
        statements += ["rdf_loader_run();", "checkpoint;",
                       f"SELECT 'loaded=' || cast(count(*) as varchar) FROM DB.DBA.load_list WHERE ll_file LIKE "
                       f"{pattern} AND ll_state = 2 AND ll_error IS NULL;",
                       f"SELECT 'error=' || ll_error FROM DB.DBA.load_list WHERE ll_file LIKE {pattern} "
                       "AND ll_error IS NOT NULL;"]
        out = target.isql.run("\n".join(statements) + "\n")
        loaded = re.findall(r"loaded=(\d+)", out)
        if not loaded or int(loaded[0]) != len(graphs):
            errors = [line.strip() for line in out.splitlines() if "error=" in line]
            raise StoreError(f"Virtuoso's bulk loader loaded {loaded[0] if loaded else 0} of {len(graphs)} files: "
                             + ("; ".join(errors) or "no error reported")[:800], where=str(target.load_dir))
        _record_mapping(target, build_id, physical)
    except StoreError:
        _clear(target.isql, list(physical.values()))
        raise
    finally:
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
    return True


def _load_statements(path: Path, folder: Path, graph: str) -> list[str]:
    """The file copied into a folder of its own under the load folder, and the isql lines that queue it."""
    try:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copy(path, folder / path.name)
    except OSError as exc:
        raise StoreError(f"cannot copy {path.name} into Virtuoso's load folder: {exc}", where=str(folder),
                         hint="HRGRAPH_VIRTUOSO_LOAD_DIR must be writable here and readable by Virtuoso") from exc
    return [f"SPARQL CLEAR GRAPH <{graph}>;",
            f"DELETE FROM DB.DBA.load_list WHERE ll_file LIKE {_sql_string(str(folder) + '/%')};",
            f"ld_dir({_sql_string(str(folder))}, {_sql_string(path.name)}, {_sql_string(graph)});"]


def _record_mapping(target: Target, build_id: str, physical: Mapping[str, str]) -> None:
    """The mapping in one update: a reader finds all of a build's graphs or none."""
    node = build_node(build_id)
    triples = [f'<{node}> <{C}loaded> "{_now()}"']
    for public, graph in physical.items():
        triples += [f"<{node}> <{C}graph> <{graph}>", f"<{graph}> <{C}name> <{public}>"]
    target.isql.run(f"SPARQL INSERT DATA {{ GRAPH <{target.control}> {{ {' . '.join(triples)} }} }};\n")


def _clear(isql: Isql, graphs: list[str]) -> None:
    if graphs:
        try:
            isql.run("log_enable(3,1);\n" + "".join(f"SPARQL CLEAR GRAPH <{g}>;\n" for g in graphs))
        except StoreError:
            pass  # the original error matters more; unmapped graphs are invisible and cleared at the next load


def active(target: Target) -> str | None:
    found = target.select("active", f"<{target.control}> <{C}active> ?v")
    return found[0] if found else None


def activate(target: Target, build_id: str) -> str | None:
    """Make a loaded build the active one in one update; returns the build it replaced."""
    if not mapped_graphs(target, build_id):
        raise StoreError(f"build {build_id} is not loaded", hint="load it before activating it")
    previous = active(target)
    if previous == build_id:
        return previous
    ctl, node = f"<{target.control}>", f"<{build_node(build_id)}>"
    new = f'{ctl} <{C}active> "{build_id}" . {node} <{C}activated> "{_now()}"'
    if previous is not None:  # when readers began to leave it (see `prune`)
        new += f' . <{build_node(previous)}> <{C}retired> "{_now()}"'
    if previous is None:
        target.isql.run(f"SPARQL INSERT DATA {{ GRAPH {ctl} {{ {new} }} }};\n")
    else:  # ?old bound: Virtuoso 7.2 drops a whole solution whose DELETE template has an unbound variable
        old = f"GRAPH {ctl} {{ {ctl} <{C}active> ?old }}"
        target.isql.run(f"SPARQL DELETE {{ {old} }} INSERT {{ GRAPH {ctl} {{ {new} }} }} WHERE {{ {old} }};\n")
    return previous


def _left_within(target: Target, grace_s: float) -> set[str]:
    """The build nodes that stopped being active less than `grace_s` seconds ago."""
    if grace_s <= 0:
        return set()
    since = (datetime.now(UTC) - timedelta(seconds=grace_s)).strftime(_TIME)
    return set(target.select("left", f'?v <{C}retired> ?t FILTER(STR(?t) > "{since}")'))


def prune(target: Target, keep: set[str], grace_s: float = 0.0) -> list[str]:
    """Drop the builds once active other than `keep` and those left within `grace_s` seconds: their mapping
    first (so nobody reads them), then their data."""
    keep_nodes = {build_node(b) for b in keep} | _left_within(target, grace_s)
    dropped = []
    ctl = f"<{target.control}>"
    for node in sorted(set(target.select("was", f"?v <{C}activated> ?t")) - keep_nodes):
        graphs = target.select("graph", f"<{node}> <{C}graph> ?v")
        target.isql.run(f"SPARQL DELETE WHERE {{ GRAPH {ctl} {{ <{node}> <{C}graph> ?g . ?g ?q ?r }} }};\n"
                        f"SPARQL DELETE WHERE {{ GRAPH {ctl} {{ <{node}> ?p ?o }} }};\n")
        _clear(target.isql, graphs)
        dropped.append(node.removeprefix(build_node("")))
    return dropped


def publish(graphs: Mapping[str, Path], build_id: str, target: Target) -> str | None:
    """Load, switch, prune; returns the build that was active before (None for the first publish)."""
    load(graphs, build_id, target)
    return switch(target, build_id)


def switch(target: Target, build_id: str, grace_s: float = 0.0) -> str | None:
    """Activate a loaded build and drop the builds before the previous one that were left over `grace_s` ago."""
    previous = activate(target, build_id)
    prune(target, {build_id, previous or build_id}, grace_s)
    return previous


# --- `hrgraph build` with HRGRAPH_STORE=remote ------------------------------------------------------------------

RETIRE_MARGIN_S = 5.0

def target_of(settings: Settings) -> Target:
    """The target HRGRAPH_VIRTUOSO_* name; StoreError when they are missing."""
    if not settings.virtuoso_isql or not settings.virtuoso_load_dir:
        raise StoreError("publishing to a remote store needs HRGRAPH_VIRTUOSO_ISQL (host:port of Virtuoso's SQL "
                         "port) and HRGRAPH_VIRTUOSO_LOAD_DIR (a folder in its DirsAllowed)")
    host, _, port = settings.virtuoso_isql.rpartition(":")
    isql = Isql(int(port), user=settings.virtuoso_user, password=settings.virtuoso_password, host=host or "127.0.0.1")
    return Target(isql, Path(settings.virtuoso_load_dir), control_graph(settings.base))


class VirtuosoPublisher:
    """The `Publisher` of the remote back-end (`store.backends`): Virtuoso's bulk loader through isql-vt."""

    def __init__(self, settings: Settings) -> None:
        self.target, self.base = target_of(settings), settings.base
        # Nobody reads a build this long after it was left: servers switch within `follow_s`, and a request
        # that started on it runs at most the query time limit (its page's own queries are bounded by it too).
        self.grace_s = settings.follow_s + settings.query_timeout_s + RETIRE_MARGIN_S

    def prepare(self, graphs: Mapping[str, Path], build_id: str) -> None:
        load(graphs, build_id, self.target)

    def discard(self, build_id: str) -> None:
        """A loaded build whose commit failed stays unmapped-or-inactive; `prune` drops it once it was active,
        and the next load of the same id clears its graphs first."""

    def activate(self, build_id: str, files: Path) -> None:
        switch(self.target, build_id, self.grace_s)

    def reconcile(self, build_id: str, files: Path) -> bool:
        """Finish a publish cut between the dist/ swap and the switch: activate `build_id` (the one dist/
        describes) when all its graphs are loaded but it is not active. True when something was activated."""
        graphs = len(published_graphs(files, self.base))
        if active(self.target) == build_id or mapped_graphs(self.target, build_id) != graphs:
            return False
        switch(self.target, build_id, self.grace_s)
        return True

    def clean(self) -> None:
        """Nothing to do: a build is pruned when it is switched away from (`switch`)."""
