"""Rendered resource documents kept per build, and a lean WSGI path that serves them without Flask.

A document (`/id/person/k.ttl?page=2`) is a pure function of the published build, its path, its format and
its page: the ETag already says so. So the final response (status 200, every header the app set — ETag,
Link, Vary, CSP, … — and the body) is kept under the key (build id, path, format, page) in an LRU bounded by
bytes. The build id is read from the store on every request, so a body of another build can never be
served: its key simply differs.

`FastDocuments` sits in front of Flask. For a GET or HEAD of a document it has, it answers (200, or 304 for
a matching `If-None-Match`) in a few dozen microseconds; anything else goes to Flask unchanged, and a 200
that Flask's document route produced is captured on its way out (the route marks it with `MARK`). Clients
that the rate limiter counts never take the fast path: they go through Flask and its limiter as before.

The server's event loop asks first (`at_once`, before any thread takes the request): a document found kept
then is answered by the loop itself (`web.server`), from what it found (`PREPARED`).

Behind the memory LRU sits the build's kept file (`web.kept`): a document rendered by any server process
(or by the warm-up, `web.warmup`), before a restart too, is read from there (tens of microseconds) and not
rendered again for that build.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

from hrgraph.config import Settings
from hrgraph.store.base import Stores
from hrgraph.web import kept
from hrgraph.web.context import STORES
from hrgraph.web.limits import is_loopback

CACHE = "hrgraph_document_cache"  # app.extensions key
FAST = "hrgraph_fast_documents"  # app.extensions key
DOCUMENT = "document"  # kind of the documents in the build's kept file
Key = tuple[str, str, str, int]  # build id, path without extension, format name, page
MARK = "hrgraph.document_key"  # environ slot where the document route leaves the key of a cacheable 200
MISSED = "hrgraph.document_missed"  # environ slot where the fast path leaves a key it found nowhere kept
PREPARED = "hrgraph.document_prepared"  # environ slot where `at_once` leaves the kept document it found
PAGE_QUERY = re.compile(r"(?:page=([1-9][0-9]{0,8}))?")
ENTRY_OVERHEAD = 512  # bytes per entry beyond the body (key, headers, bookkeeping), for the byte bound
NOT_IN_304 = {"content-length", "content-type", "link"}  # what the document route's 304 does not carry

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
# What the server's event loop asks (`FastDocuments.prepare`): (a request's WSGI environ, the most bytes its body
# may have, whether a read may give up the GIL) -> answered at once (what answers it left in the environ).
Prepare = Callable[[dict[str, Any], int, bool], bool]


@dataclass(frozen=True)
class Cached:
    etag: str  # the quoted entity tag as sent
    headers: tuple[tuple[str, str], ...]  # of the 200, as the app sent them
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD

    def not_modified_headers(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.headers if k.lower() not in NOT_IN_304]


class DocumentCache:
    """A thread-safe LRU of `Cached` documents holding at most `max_bytes` (0 keeps nothing)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self._items: OrderedDict[Key, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Key) -> Cached | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: Key, item: Cached) -> None:
        if item.size > self.max_bytes // 4:  # one huge page must not flush everything else
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._items[key] = item
            self._bytes += item.size
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= dropped.size

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)


def _disk_key(key: Key) -> str:
    return f"{key[1]}|{key[2]}|{key[3]}"


def _packed(item: Cached) -> bytes:
    return json.dumps([item.etag, item.headers]).encode() + b"\n" + item.body


def _unpacked(raw: bytes) -> Cached:
    head, body = raw.split(b"\n", 1)
    etag, headers = json.loads(head)
    return Cached(etag, tuple((k, v) for k, v in headers), body)


def etag_matches(header: str | None, etag: str) -> bool:
    """`If-None-Match` against our strong tag, by weak comparison (RFC 9110 §13.1.2), `*` matching all."""
    if not header:
        return False
    bare = etag.strip('"')
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/").strip('"') == bare:
            return True
    return False


class FastDocuments:
    """WSGI middleware: kept documents answered before Flask (from memory, else from the build's `kept` file,
    which every server process shares); Flask's cacheable 200s captured into both."""

    def __init__(self, app: WsgiApp, cache: DocumentCache, settings: Settings,
                 key_of: Callable[[str, int], tuple[str, str] | None], stores: Stores, disk: kept.Kept) -> None:
        self.app, self.cache, self.settings = app, cache, settings
        self.key_of = key_of  # (path, page) -> (stem, format name), None when not a document path
        self.stores, self.disk = stores, disk

    def build_id(self) -> str:
        return self.stores.build_id

    def key(self, environ: dict[str, Any]) -> Key | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("SCRIPT_NAME"):
            return None
        page = PAGE_QUERY.fullmatch(environ.get("QUERY_STRING", ""))
        path = environ.get("PATH_INFO", "")
        if page is None or not path.startswith("/"):
            return None
        try:  # WSGI hands the path over as latin-1; Flask decodes it as UTF-8, so must we
            path = path.encode("latin-1").decode("utf-8")
        except UnicodeError:
            return None
        number = int(page.group(1) or 1)
        doc = self.key_of(path[1:], number)
        return (self.build_id(), doc[0], doc[1], number) if doc else None

    def exempt(self, environ: dict[str, Any]) -> bool:
        """True when the rate limiter would let this client through uncounted (see `limits.install`)."""
        s = self.settings
        return s.rate_limit_per_s <= 0 or (not s.rate_limit_loopback and is_loopback(environ.get("REMOTE_ADDR")))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if (hit := environ.pop(PREPARED, None)) is not None:
            return self.serve(hit, environ, start_response)
        key = self.key(environ) if self.cache.max_bytes else None
        if key is None:
            return self.app(environ, start_response)
        if self.exempt(environ):
            # Not in the kept file when the loop looked (`prepare`): memory only, where a thread of this process
            # that rendered it meanwhile has put it.
            hit = self.cache.get(key) if environ.get(MISSED) == key else self.lookup(key)
            if hit is not None:
                return self.serve(hit, environ, start_response)
            environ[MISSED] = key  # the route need not read the kept file again
        return self.capture(key, environ, start_response)

    def prepare(self, environ: dict[str, Any], max_bytes: int, read_file: bool = True) -> bool:
        """In the server's event loop, before a thread takes the request: True when it is answered by a kept
        document of at most `max_bytes` (then left in `environ[PREPARED]`). Kept memory, or the kept file if
        `read_file`: never a render, and never a wait for the file's lock. Behind a trusted proxy the client
        is known only once the app reads the proxy's headers, so only while nobody is rate-limited."""
        s = self.settings
        key = self.key(environ) if self.cache.max_bytes else None
        client_unknown = s.rate_limit_per_s > 0 and bool(s.trusted_proxy)
        if key is None or client_unknown or not self.exempt(environ):
            return False
        hit = self.lookup(key, wait=False) if read_file else self.cache.get(key)
        if hit is None:
            if read_file:
                environ[MISSED] = key  # the thread that renders it need not read the kept file again
            return False
        if len(hit.body) > max_bytes:
            return False
        environ[PREPARED] = hit
        return True

    def lookup(self, key: Key, wait: bool = True) -> Cached | None:
        """From memory, else from the build's file (then kept in memory too); `wait=False`: None rather than
        wait for the file's lock."""
        if (hit := self.cache.get(key)) is not None:
            return hit
        store = self.stores.checkout()
        try:
            if store.build_id != key[0]:
                return None
            raw = self.disk.get(key[0], store.cache_dir, DOCUMENT, _disk_key(key), wait)
        finally:
            self.stores.checkin(store)
        if raw is None:
            return None
        hit = _unpacked(raw)
        self.cache.put(key, hit)
        return hit

    def keep(self, key: Key, item: Cached) -> None:
        self.cache.put(key, item)
        store = self.stores.checkout()
        try:
            if store.build_id == key[0]:
                self.disk.put(key[0], store.cache_dir, DOCUMENT, _disk_key(key), _packed(item))
        finally:
            self.stores.checkin(store)

    def serve(self, hit: Cached, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if etag_matches(environ.get("HTTP_IF_NONE_MATCH"), hit.etag):
            start_response("304 NOT MODIFIED", hit.not_modified_headers())
            return []
        start_response("200 OK", list(hit.headers))
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [hit.body]

    def capture(self, key: Key, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def recording(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        body_iter = self.app(environ, recording)
        if (environ.get(MARK) != key or environ["REQUEST_METHOD"] != "GET"
                or not str(seen.get("status", "")).startswith("200 ")):
            return body_iter
        try:
            body = b"".join(body_iter)
        finally:
            close = getattr(body_iter, "close", None)
            if close is not None:
                close()
        headers = tuple(seen["headers"])
        etag = next((v for k, v in headers if k.lower() == "etag"), None)
        if etag is not None:
            self.keep(key, Cached(etag, headers, body))
        return [body]


def install(app: Flask, settings: Settings, key_of: Callable[[str, int], tuple[str, str] | None]) -> None:
    """Put the fast path in front of the app (the app factory calls this once): `key_of` tells a document
    path from any other (`resources.document_path`)."""
    cache = app.extensions[CACHE] = DocumentCache(settings.document_cache_mb * 1024 * 1024)
    fast = app.extensions[FAST] = FastDocuments(app.wsgi_app, cache, settings, key_of, app.extensions[STORES],
                                                kept.of(app))
    app.wsgi_app = fast  # type: ignore[method-assign]


def at_once(app: Flask) -> Prepare:
    """What the server's event loop asks of each request (`FastDocuments.prepare`)."""
    return app.extensions[FAST].prepare  # type: ignore[no-any-return]


def of(app: Flask) -> DocumentCache:
    return app.extensions[CACHE]  # type: ignore[no-any-return]


def lookup(app: Flask, key: Key, environ: dict[str, Any]) -> Cached | None:
    """A kept 200 of `key` (memory, else the build's kept file), unless the fast path in front of this request
    just found none (in memory an instant ago, in the kept file when the request arrived)."""
    if environ.get(MISSED) == key:
        return None
    return app.extensions[FAST].lookup(key)  # type: ignore[no-any-return]
