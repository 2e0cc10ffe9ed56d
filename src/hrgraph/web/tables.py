"""A SPARQL result shown as a table for people (the query editor and the saved queries' pages): its IRIs
labelled, in one query for the whole table, so a row reads "Aleh Dembouski" beside `id/person/…` instead of a
bare IRI. The table itself is drawn by templates/_results.html."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app

from hrgraph.store.results import Table
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.describe import MAX_LABELLED
from hrgraph.web.labels import fetch_labels
from hrgraph.web.present import Presenter
from hrgraph.web.resources import LABELS  # the per-build memo of labels


def presenter(table: Table | None, extra: Iterable[str] = ()) -> Presenter:
    """A Presenter holding the labels of the table's IRIs and of `extra` ones (at most MAX_LABELLED)."""
    cells = (c.value for row in (table.rows if table else []) for c in row if c.kind == "iri")
    iris = list(dict.fromkeys(i for i in (*extra, *cells) if i.startswith(("http://", "https://"))))
    labels = fetch_labels(get_store(), iris[:MAX_LABELLED], current_app.extensions.get(LABELS)) if iris else {}
    return Presenter(get_settings().base, labels)
