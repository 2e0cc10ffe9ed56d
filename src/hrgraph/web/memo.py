"""Values that depend only on the published build — class counts, facet counts, chart data — computed once
per build and kept: the aggregates behind them read every member (seconds at 10,000 persons in the
embedded engine), while the values themselves are a few dozen numbers. Keyed by build id, so a value of
another build is never returned; bounded, emptied when full."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

from hrgraph.web.context import get_store

T = TypeVar("T")


class PerBuild:
    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._values: dict[tuple[str, Hashable], Any] = {}
        self._lock = threading.Lock()

    def get(self, build_id: str, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for (`build_id`, `key`), else `compute()` kept. Two threads may compute the same
        value at once; both get a correct answer (computing under the lock would serialise every page)."""
        full_key = (build_id, key)
        with self._lock:
            if full_key in self._values:
                return self._values[full_key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if len(self._values) >= self.max_entries or any(b != build_id for b, _ in list(self._values)[:1]):
                self._values = {}
            self._values[full_key] = value
        return value

    def __len__(self) -> int:
        return len(self._values)


_KEY = "hrgraph_page_memo"


def per_build(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per published build of the request's store (the app's one `PerBuild`)."""
    memo: PerBuild = current_app.extensions.setdefault(_KEY, PerBuild())
    return memo.get(get_store().build_id, key, compute)
