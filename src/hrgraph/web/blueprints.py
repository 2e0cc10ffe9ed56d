"""The one place that lists the web surfaces; each module owns its blueprint."""

from __future__ import annotations

import importlib

from flask import Flask

SURFACES = ("hrgraph.web.sparql", "hrgraph.web.downloads", "hrgraph.web.pages", "hrgraph.web.resources")


def register_all(app: Flask) -> None:
    for name in SURFACES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a surface not written yet; remove once all exist
            if exc.name == name:
                continue
            raise
        app.register_blueprint(module.bp)
