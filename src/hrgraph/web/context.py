"""What a request is answered from: the settings and the one published build (Flask's `get_db` pattern).

Every route reads the store through `get_store()`: the first call of a request takes the build the server
serves at that moment (`Stores.checkout`) and keeps it in `flask.g` for the rest of the request, so one
response never mixes two builds even when a publish lands while it is being written; the teardown hands it
back (`checkin`), which lets a build the server has moved on from close once its last request is done.
"""

from __future__ import annotations

from flask import Flask, current_app, g

from hrgraph.config import Settings
from hrgraph.store.base import Store, Stores

SETTINGS = "HRGRAPH"  # app.config key
STORES = "hrgraph_stores"  # app.extensions key


def get_settings() -> Settings:
    return current_app.config[SETTINGS]


def get_store() -> Store:
    """The build this request is answered from (the same one for every call within the request)."""
    if "store" not in g:
        g.store = current_app.extensions[STORES].checkout()
    return g.store


def current_build_id(app: Flask) -> str:
    """The build a new request would get, without holding it (cache keys outside a request)."""
    return app.extensions[STORES].build_id


def _hand_back(_exc: BaseException | None) -> None:
    store = g.pop("store", None)
    if store is not None:
        current_app.extensions[STORES].checkin(store)


def install(app: Flask, settings: Settings, stores: Stores) -> None:
    app.config[SETTINGS] = settings
    app.extensions[STORES] = stores
    app.teardown_appcontext(_hand_back)
