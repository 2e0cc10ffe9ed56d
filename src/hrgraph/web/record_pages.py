"""Which HTML page a resource gets: a person's case (web/case.py), a source document's marked text
(web/source_text.py), or the plain description (templates/resource.html) for everything else."""

from __future__ import annotations

from typing import Any

from flask import Flask

from hrgraph.model.namespaces import HR
from hrgraph.model.vocab import SKOS
from hrgraph.web import case, source_text
from hrgraph.web.describe import Description
from hrgraph.web.present import Presenter


def view(d: Description, p: Presenter) -> tuple[str, dict[str, Any]]:
    """(template, what it needs beyond the description)."""
    if d.is_person:
        found = case.case(d, p)
        return "person.html", {"case": found, "shown": found.shown, "note": str(SKOS.note)}
    if str(HR.SourceDocument) in d.types:
        text = source_text.source_text(d)
        shown = {f"{q.annotation}#target" for q in text.quotes} | {st for st, _, _ in text.statements}
        return "source.html", {"source": text, "shown": shown}
    return "resource.html", {}


def install(app: Flask) -> None:
    app.jinja_env.globals.update(human_date=case.human_date, readable_url=source_text.readable_url)
