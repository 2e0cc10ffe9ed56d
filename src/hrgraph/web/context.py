"""What a request is answered from: the settings and the one published build (Flask's `get_db` pattern).

Every route reads the store through `get_store()`: the first call of a request takes the build the server
serves at that moment and keeps it in `flask.g` for the rest of the request, so one response never mixes two
builds even when a publish lands while it is being written. The teardown hands it back.
"""

from __future__ import annotations

from flask import Flask, current_app, g

from hrgraph.config import Settings
from hrgraph.store.base import Store

SETTINGS = "HRGRAPH"  # app.config key
STORES = "hrgraph_store"  # app.extensions key


def get_settings() -> Settings:
    return current_app.config[SETTINGS]


def get_store() -> Store:
    """The build this request is answered from (the same one for every call within the request)."""
    if "store" not in g:
        g.store = current_app.extensions[STORES]
    return g.store


def current_build_id(app: Flask) -> str:
    """The build a new request would get, without holding it (cache keys outside a request)."""
    return app.extensions[STORES].build_id


def install(app: Flask, settings: Settings, store: Store) -> None:
    app.config[SETTINGS] = settings
    app.extensions[STORES] = store
