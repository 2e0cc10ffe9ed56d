"""The catalogue of names (xref/catalogue.py) of the build being served: built on first use, once per build
(under a lock, so concurrent first requests wait for one build instead of each making its own), replaced
when the store serves another build. At 10,000 persons it takes a few seconds (README, Cross-referencing)."""

from __future__ import annotations

import threading

from flask import current_app

from hrgraph.web.context import get_settings as settings
from hrgraph.web.context import get_store as store
from hrgraph.xref.catalogue import Catalogue, load

_KEY = "hrgraph_catalogue"
__all__ = ["catalogue", "settings", "store"]


class _Holder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.catalogue: Catalogue | None = None


def catalogue() -> Catalogue:
    """The catalogue of the store's current build."""
    holder: _Holder = current_app.extensions.setdefault(_KEY, _Holder())
    build_id = store().build_id
    current = holder.catalogue
    if current is not None and current.build_id == build_id:
        return current
    with holder.lock:
        if holder.catalogue is None or holder.catalogue.build_id != build_id:
            holder.catalogue = load(store(), settings().base)
        return holder.catalogue
