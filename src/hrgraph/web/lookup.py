"""What the lists of the build being served are answered from, built on first use, once per build, and replaced
when the store serves another build: the catalogue of names (xref/catalogue.py) and the facet index of persons
(xref/facets.py). Each is built under its own lock, so concurrent first requests wait for one build instead of
each making its own. At 10,000 persons the catalogue takes a few seconds, the facet index about four
(README, Cross-referencing); for an embedded build both are made by a process of their own and read from the
build's folder (web/offload.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from flask import Flask, current_app

from hrgraph.config import Settings
from hrgraph.store.base import Store
from hrgraph.web import offload
from hrgraph.web.context import SETTINGS
from hrgraph.web.context import get_settings as settings
from hrgraph.web.context import get_store as store
from hrgraph.web.memo import per_build
from hrgraph.xref.catalogue import Catalogue
from hrgraph.xref.facets import FacetIndex
from hrgraph.xref.facts import PersonFacts, person_facts

__all__ = ["catalogue", "facet_index", "facts", "settings", "store"]


class _PerBuild(Protocol):
    build_id: str


V = TypeVar("V", bound=_PerBuild)


class _Holder(Generic[V]):
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.value: V | None = None

    def get(self, build_id: str, make: Callable[[], V]) -> V:
        current = self.value
        if current is not None and current.build_id == build_id:
            return current
        with self.lock:
            if self.value is None or self.value.build_id != build_id:
                self.value = make()
            return self.value


def _held(app: Flask, key: str, build: Store, make: Callable[[Store, Settings], V]) -> V:
    holder: _Holder[V] = app.extensions.setdefault(key, _Holder())
    return holder.get(build.build_id, lambda: make(build, app.config[SETTINGS]))


def catalogue() -> Catalogue:
    """The catalogue of the request's build (web/context.py: both lists come from the same one)."""
    return _held(current_app, "hrgraph_catalogue", store(), offload.catalogue)


def facet_index() -> FacetIndex:
    """The facet index of the persons of the request's build."""
    return facet_index_of(current_app, store())


def facet_index_of(app: Flask, build: Store) -> FacetIndex:
    """The facet index of `build` as `app` holds it, outside a request too (the warm-up)."""
    return _held(app, "hrgraph_facets", build, offload.facet_index)


def facts(persons: list[str], reader: Store | None = None) -> dict[str, PersonFacts]:
    """What the graph says of `persons` (xref/facts.py) in the request's build, read through `reader` (a page's
    remembered reads of it, store/recorded.py) when given; the statements' mechanisms kept per build."""
    return person_facts(reader or store(), persons, per_build("statement-mechanisms", dict)) if persons else {}
