"""One page's lookups, remembered: where two parts of a page read the same triples, the store is asked once.

A person's page is a description (`web.describe`: the person's own triples, the claims about them read
whole, the statements, the labels) and, beside it, the case facts (`xref.facts`: the same claims, field by
field, the same person's names). Read through one `Recorded`, the facts find what the description read:
at 10M triples the claims' fields were ~65 of the page's ~200 lookups, each 40-90 µs there.

Only `outgoing` and `incoming` without a limit are remembered, by (node, predicate); a node read whole
(no predicate) answers its predicates too. The store is a published build, fixed, so nothing remembered can
go stale; a `Recorded` lives as long as the page it serves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pyoxigraph import NamedNode, Triple

from hrgraph.store.base import Node, Store

Key = tuple[Node, str | None]  # a node and a predicate's IRI (None: every predicate)


class Recorded:
    """`store`, its lookups remembered; `whole`: nodes whose outgoing triples the caller has already read."""

    def __init__(self, store: Store, whole: Mapping[Node, Sequence[Triple]] | None = None) -> None:
        self.store = store
        self._outgoing: dict[Key, list[Triple]] = {(n, None): list(ts) for n, ts in (whole or {}).items()}
        self._incoming: dict[Key, list[Triple]] = {}

    def __getattr__(self, name: str) -> Any:  # build_id, files, select, run, ...: the store's own
        return getattr(self.store, name)

    def outgoing(self, subjects: Iterable[Node], predicates: Sequence[str] = ()) -> list[Triple]:
        return _lookup(self._outgoing, list(subjects), predicates, self.store.outgoing, lambda t: t.subject)

    def incoming(self, objects: Iterable[NamedNode], predicates: Sequence[str] = (),
                 limit: int | None = None) -> list[Triple]:
        if limit is not None:  # a part of the links: nothing to remember
            return self.store.incoming(objects, predicates, limit)
        return _lookup(self._incoming, list(objects), predicates, self.store.incoming, lambda t: t.object)


def _known(memo: dict[Key, list[Triple]], node: Node, predicate: str | None) -> list[Triple] | None:
    found = memo.get((node, predicate))
    if found is None and predicate is not None and (whole := memo.get((node, None))) is not None:
        found = memo[(node, predicate)] = [t for t in whole if t.predicate.value == predicate]
    return found


def _lookup(memo: dict[Key, list[Triple]], nodes: list[Any], predicates: Sequence[str],
            read: Callable[..., list[Triple]], end: Callable[[Triple], Node]) -> list[Triple]:
    """What the store's own lookup would answer, in the same order: each (node, predicate) in turn, each triple
    once. What is not remembered is read in one call (one query over a remote store) and remembered."""
    kinds: list[str | None] = list(predicates) or [None]
    missing = [n for n in dict.fromkeys(nodes) if any(_known(memo, n, k) is None for k in kinds)]
    if missing:
        fresh: dict[Key, list[Triple]] = {(n, k): [] for n in missing for k in kinds}
        for t in read(missing, predicates):
            slot = fresh.get((end(t), None if not predicates else t.predicate.value))
            if slot is None:  # a triple for no node asked (a back-end renaming nodes): the store's answer as is
                return read(nodes, predicates)
            slot.append(t)
        memo.update(fresh)
    found: dict[Triple, None] = {}
    for node in nodes:
        for kind in kinds:
            found.update(dict.fromkeys(_known(memo, node, kind) or ()))
    return list(found)
