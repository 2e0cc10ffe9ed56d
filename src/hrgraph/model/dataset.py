"""What the dataset is called, which version of hrgraph made it, and the licence it is published under: one
place for the build's VoID description and the citation every page gives."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

TITLE = "hrgraph: human-rights documentation as Linked Data"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"


@cache  # every page's citation asks; reading the installed metadata costs milliseconds (it scans sys.path)
def version() -> str:
    """hrgraph's version ("0.0.0" when run from a source tree without installed metadata)."""
    try:
        return package_version("hrgraph")
    except PackageNotFoundError:
        return "0.0.0"
