"""What every page says about the data it shows: the licence (CC BY 4.0), who publishes it and where to write,
and how to cite it — the dataset as a whole, and the single resource a page is about (by its IRI, which never
changes, with the build it was read from and the day that build's data was last modified, from its VoID
description). No access date: a rendered page is kept for as long as its build is served (web/doccache.py),
so a date of rendering would be wrong the next day; the build identifies exactly what was read.

Templates get it as `cite` (a context processor), so no page can leave it out: base.html writes the footer, the
resource pages their own line.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from rdflib.namespace import DCTERMS, VOID

from hrgraph.errors import HrgraphError
from hrgraph.model.dataset import LICENCE_NAME, LICENSE, TITLE, version
from hrgraph.web.context import get_settings, get_store
from hrgraph.web.memo import per_build


@dataclass(frozen=True)
class Citation:
    title: str
    publisher: str
    contact: str  # an IRI (mailto: or https), "" when the operator gave none
    licence: str
    licence_name: str
    dataset: str  # the dataset's IRI
    version: str
    build: str
    modified: str  # YYYY-MM-DD, "" when the build's description gives none

    def _edition(self) -> str:
        year = f" ({self.modified[:4]})" if self.modified else ""
        day = f", data of {self.modified}" if self.modified else ""
        return f"{self.publisher}{year}. {self.title}, version {self.version} (build {self.build}{day})"

    def of_dataset(self) -> str:
        return f"{self._edition()}. {self.dataset}. Licensed under {self.licence_name}."

    def of_resource(self, label: str, iri: str) -> str:
        return f"“{label}”. In: {self._edition()}. {iri}. Licensed under {self.licence_name}."


def citation() -> Citation:
    settings = get_settings()
    try:  # an error page while the store is unreachable still renders, with what is known
        build, day = get_store().build_id, per_build("modified", modified)
    except HrgraphError:
        build, day = "unknown", ""
    return Citation(TITLE, settings.publisher, settings.contact_iri, LICENSE, LICENCE_NAME,
                    f"{settings.base}dataset", version(), build, day)


def modified() -> str:
    """The build's `dct:modified` as its VoID description states it."""
    rows = get_store().select(f"SELECT ?m WHERE {{ GRAPH ?g {{ ?d <{DCTERMS.modified}> ?m ; "
                              f"<{VOID.uriSpace}> ?space }} }} LIMIT 1")
    return rows[0]["m"].value[:10] if rows else ""


def install(app: Flask) -> None:
    app.context_processor(lambda: {"cite": citation()})
