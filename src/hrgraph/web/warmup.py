"""Answers ready before anyone asks: when a server starts serving a build, it has the persons' facet index
made (the home page's and `/persons`'s: `web.offload`), runs each saved query (with its default parameters)
once in the background and keeps the result for the build (`web.kept`), then renders the documents of every
resource (HTML and Turtle, the formats people and crawlers ask for most: persons first, then organisations
and statements, claims and events, evidence annotations last) in processes of their own at the lowest CPU
priority, through the app itself, so the first request for any of them is answered from the kept file like
any later one.

A saved query over the whole graph takes seconds at a million triples; its answer is fixed until the next
publish, so its first visitor should not pay for it. One process per build does the work (an exclusive
flock on a file in the build's folder; the others find the results in the shared file); over a remote
back-end, which has no folder, each process keeps its own. The queries run one at a time through the
store's query workers under the configured limits, so clients keep the other workers; a query that fails or
runs out of time is simply left to its first visitor.

Documents are rendered by `documents_main`: fresh interpreters, one per server process, each taking a share
of the resources, at idle priority (they get what the servers leave of the CPU: `idle_priority`). Each opens
the build read-only (leased, like any reader), builds the same app over it and requests each document through
the app's WSGI stack, which keeps what it renders (`web.doccache`): the same code and headers as a client's
request, never a second renderer. A warmer stops when the build is no longer the published one, when the
build's kept file is full (`HRGRAPH_KEPT_MB`), and when its server dies. Only where the build has a folder
(embedded): a remote build has no file the processes share. Why not at build time: README "Serving on every
core".

What the warm-up keeps must also stay in RAM to be fast: `web.pagecache` sees to it, with or without the
warm-up.
"""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

from flask import Flask
from jinja2 import TemplateError

from hrgraph.config import Settings, freeze_long_lived
from hrgraph.errors import HrgraphError
from hrgraph.model.vocab import HR, OA
from hrgraph.store.base import Dataset, Limits, Store
from hrgraph.web import kept, lookup, offload, processes, saved
from hrgraph.web.context import SETTINGS, STORES
from hrgraph.web.terms import sparql_string

LOCK = "warmup.lock"
DOCUMENTS_LOCK = "documents.lock"
DOCUMENT_EXTENSIONS = ("html", "ttl")
# Every typed resource with a document of its own (no fragment); those of these classes first, in this order
# (the most visited first), then all others (claims, events, ...), then those of LAST (evidence annotations).
RESOURCES = ("SELECT DISTINCT ?s WHERE {{ ?s a ?c "
             "FILTER(isIRI(?s) && STRSTARTS(STR(?s), {base}) && !CONTAINS(STR(?s), '#')) }}")
FIRST = (HR.Person, HR.Organisation, HR.Statement, HR.SourceDocument)
LAST = OA.Annotation
log = logging.getLogger(__name__)
_ENTRY = "import sys; from hrgraph.web.warmup import documents_main; documents_main(int(sys.argv[1]))"


def start(app: Flask) -> threading.Thread:
    """A daemon thread warming each build the app serves, looking for a new one every `follow_s`."""
    thread = threading.Thread(target=_follow, args=(app,), name="hrgraph-warmup", daemon=True)
    thread.start()
    return thread


def _follow(app: Flask) -> None:
    stores, settings = app.extensions[STORES], app.config[SETTINGS]
    compile_templates(app)
    done = None
    while True:
        if stores.build_id != done:
            store = stores.checkout()
            try:
                done = store.build_id
                lists_ready(app, store)
                freeze_long_lived()  # the build's facet index, the templates: out of the GC's full passes
                warm(app, store)
                start_documents(settings, store.cache_dir)
            finally:
                stores.checkin(store)
        time.sleep(max(1.0, settings.follow_s))


def lists_ready(app: Flask, store: Store) -> None:
    """Have the persons' facet index (the home page and `/persons`) in this process, and the catalogue of names
    (searches) made, before their first visitors ask: at 10M triples they take ~20 and ~30 s to make
    (web/offload.py). The catalogue is not read in here: a server nobody searches need not hold it. A failure
    is left to the first visitor, who is told why."""
    try:
        lookup.facet_index_of(app, store)
        offload.prepare(offload.CATALOGUE, store, app.config[SETTINGS])
    except Exception:  # noqa: BLE001 - whatever it is, the warm-up goes on (saved queries, documents)
        log.warning("the lists of build %s were not made ahead", store.build_id, exc_info=True)


def compile_templates(app: Flask) -> int:
    """Compile every page template now (Jinja keeps them): the first page of each kind a process serves paid
    ~25 ms for it (all 21 take ~120 ms), and at c=8 the requests queued behind it; how many were compiled. One
    that fails is left to its page, which says why: the warm-up goes on."""
    compiled = 0
    for name in app.jinja_env.list_templates():
        try:
            app.jinja_env.get_template(name)
        except TemplateError:
            continue
        compiled += 1
    return compiled


def warm(app: Flask, store: Store) -> int:
    """Run and keep each saved query `store`'s build has no result for; how many were run (0 when another
    process is warming this build)."""
    lock = kept.claim(store.cache_dir, LOCK)
    if lock is False:
        return 0
    settings, memory, ran = app.config[SETTINGS], kept.of(app), 0
    limits = Limits.of(settings)
    try:
        for query in saved.load_all(settings.queries_dir):
            if kept.result_of(memory, store, query.text, limits) is not None:
                continue
            try:
                result = store.run(query.text, Dataset(), limits)
            except HrgraphError:  # too slow, or refused: its first visitor will see why
                continue
            kept.keep_result(memory, store, query.text, limits, result)
            ran += 1
    finally:
        if not isinstance(lock, bool):  # True (nothing to share) is an int too: it must not close fd 1
            os.close(lock)
    return ran


# --- documents, in a process of their own --------------------------------------------------------------------

def start_documents(settings: Settings, cache_dir: Path | None) -> subprocess.Popen | None:
    """The document warmer of the build whose kept folder is `cache_dir` (None: a remote build, nothing)."""
    if cache_dir is None:
        return None
    proc = subprocess.Popen([sys.executable, "-c", _ENTRY, str(os.getpid())], stdin=subprocess.PIPE,
                            stdout=subprocess.DEVNULL)
    assert proc.stdin is not None
    proc.stdin.write(pickle.dumps((settings, cache_dir.parent)))
    proc.stdin.close()
    threading.Thread(target=proc.wait, daemon=True).start()  # reaped when it ends
    return proc


def in_order(store: Store, base: str) -> list[str]:
    """Every resource of the build with a document under `base`, in the order the warm-up renders them."""
    def of(cls: object) -> list[str]:
        return [r["s"].value for r in store.select(f"SELECT ?s WHERE {{ ?s a <{cls}> }}") if "s" in r]

    every = [r["s"].value for r in store.select(RESOURCES.format(base=sparql_string(base))) if "s" in r]
    ordered = dict.fromkeys(iri for cls in FIRST for iri in of(cls))
    last = dict.fromkeys(of(LAST))
    ordered.update((iri, None) for iri in every if iri not in last)
    ordered.update(last)
    return [iri for iri in ordered if iri.startswith(base) and "#" not in iri]


def idle_priority() -> None:
    """Run this process only on CPU time nobody else wants: Linux's SCHED_IDLE, else nice 19. At nice 19 the
    two warmers still took 15-25% of both cores from servers under load (measured here: whenever a server
    thread blocked for a moment, a warmer ran its whole time slice before the server got the core back);
    a SCHED_IDLE process is preempted as soon as any other wakes. Starved, it holds up no request: servers
    read the kept file in WAL mode, which never waits for a writer, and queue their own writes to a thread."""
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    except (AttributeError, OSError):  # not Linux, or not allowed
        os.nice(19)


def documents_main(server: int) -> None:
    """Render and keep each resource's documents of one build (see the module docstring); exits early when
    another process does it, when the build is no longer published, or when the server dies."""
    from hrgraph.store.embedded import current_build, open_build
    from hrgraph.store.follow import Following
    from hrgraph.web import create_app

    processes.die_with_parent(server)  # end with the server (started from its long-lived warm-up thread)
    idle_priority()
    settings, build_dir = pickle.loads(sys.stdin.buffer.read())
    assert isinstance(settings, Settings)
    slots = processes.count(settings)  # one warmer per server process, each a share of the persons
    slot = next((n for n in range(slots) if kept.claim(build_dir / "kept", f"{DOCUMENTS_LOCK}.{n}") is not False), None)
    if slot is None:
        return  # every share is being rendered (or was: what is kept is served, not rendered again)
    # Nothing to follow, no warm-up of its own, no rate limit on itself, documents kept on disk (not in memory).
    quiet = settings.with_(follow_s=0, warmup=False, rate_limit_per_s=0, document_cache_mb=1)
    stores = Following(lambda: build_dir.name,
                       lambda _name: open_build(build_dir, quiet, workers=False, memory=True), 0)
    try:
        app = create_app(quiet, stores)
        client = app.test_client()
        store = stores.checkout()
        resources = in_order(store, quiet.base)
        stores.checkin(store)
        disk = kept.of(app)
        try:
            for n, iri in enumerate(resources):
                if n % slots != slot:
                    continue
                if n % 100 == slot and (current_build(quiet.store_dir) != build_dir.name
                                        or disk.is_full(build_dir / "kept")):
                    return  # a newer build is published (its own warmer takes over), or no room is left for it
                for ext in DOCUMENT_EXTENSIONS:
                    client.get(f"/{iri[len(quiet.base):]}.{ext}")  # kept on its way out (web.doccache)
        finally:
            disk.flush()  # what is still queued is written before the process ends
    finally:
        stores.close()
