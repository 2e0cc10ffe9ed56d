"""The label to show for an IRI: looked up for a whole page at once, ranked, and kept per build.

Ranking: by property (`rdfs:label`, then `skos:prefLabel`, `dct:title`, `eli:title`, `dct:identifier`),
then language (English, untagged, any other), then the text itself, so a page always shows the same one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode

from hrgraph.model.vocab import DCTERMS, ELI, RDFS, SKOS
from hrgraph.store.base import Store, Term

# Label properties in order of preference.
LABEL_PROPERTIES = tuple(str(p) for p in (RDFS.label, SKOS.prefLabel, DCTERMS.title, ELI.title, DCTERMS.identifier))


def local_name(iri: str) -> str:
    """What follows the last `#` or `/` of an IRI: the fallback label."""
    for sep in ("#", "/"):
        if sep in iri.rstrip("/"):
            tail = iri.rstrip("/").rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def label_of(term: Term | str, labels: dict[str, str]) -> str:
    """A literal's text, else the IRI's label in `labels`, else its local name."""
    if isinstance(term, Literal):
        return term.value
    iri = term if isinstance(term, str) else term.value
    return labels.get(iri) or local_name(iri)


class LabelMemo:
    """Labels already looked up in one build (a label cannot change within a build): ontology terms,
    organisations and co-defendants recur on page after page. Bounded: emptied when full."""

    def __init__(self, max_entries: int = 200_000) -> None:
        self.build_id = ""
        self.max_entries = max_entries
        self._labels: dict[str, str | None] = {}  # None: looked up, has no label

    def split(self, build_id: str, iris: list[str]) -> tuple[dict[str, str], list[str]]:
        """(labels known, IRIs still to look up) for `iris` in build `build_id`."""
        if build_id != self.build_id:
            self._labels, self.build_id = {}, build_id
        known, missing = {}, []
        for iri in iris:
            if iri not in self._labels:
                missing.append(iri)
            elif (label := self._labels[iri]) is not None:
                known[iri] = label
        return known, missing

    def remember(self, build_id: str, looked_up: list[str], found: dict[str, str]) -> None:
        if build_id != self.build_id:
            return
        if len(self._labels) + len(looked_up) > self.max_entries:
            self._labels = {}
        for iri in looked_up:
            self._labels[iri] = found.get(iri)


def fetch_labels(store: Store, iris: list[str], memo: LabelMemo | None = None) -> dict[str, str]:
    """The best label of each IRI: by property preference, then @en, untagged, any language."""
    known, missing = memo.split(store.build_id, iris) if memo else ({}, iris)
    if not missing:
        return known
    found = best_of(_label_statements(store, missing))
    if memo:
        memo.remember(store.build_id, missing, found)
    return known | found


def _label_statements(store: Store, iris: list[str]) -> Iterator[tuple[str, str, Term]]:
    """(IRI, property, label) of the first label property each IRI has, in order of preference: the best label
    is among those (`best_of` ranks the property first), and most IRIs have the first, so most need one lookup."""
    remaining = [NamedNode(i) for i in iris]
    for prop in LABEL_PROPERTIES:
        labelled = set()
        for t in store.outgoing(remaining, [prop]):
            if isinstance(t.object, Literal):
                labelled.add(t.subject.value)
                yield t.subject.value, prop, t.object
        remaining = [n for n in remaining if n.value not in labelled]
        if not remaining:
            return


def best_of(statements: Iterable[tuple[str, str, Term]]) -> dict[str, str]:
    """From (subject, property, label) statements, each subject's best label."""
    best: dict[str, tuple[tuple[int, int, str], str]] = {}
    for key, prop, label in statements:
        if not isinstance(label, Literal) or prop not in LABEL_PROPERTIES:
            continue
        rank = (LABEL_PROPERTIES.index(prop), _language_rank(label.language), label.value)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, label.value)
    return {k: v for k, (_, v) in best.items()}


def _language_rank(language: str | None) -> int:
    return {"en": 0, None: 1, "": 1}.get(language, 2)
