"""Content negotiation, pure: an `Accept` header and the media types a route can produce in, the one to
use out.

No Flask here, so it is tested with plain strings. Scoring follows RFC 9110 §12.5.1: each offer takes the
q-value of the most specific range that matches it (`text/turtle` beats `text/*` beats `*/*`, and a range
whose parameters match beats one without); the highest q wins and ties go to the route's own order of
preference, which is how a browser's `text/html,...,*/*;q=0.8` gets HTML and `curl` (`*/*`) gets the default.

Two users: the SPARQL endpoint and the listings negotiate over media types (`negotiate`); resource pages
over rows of the media-type table (`choose`). Both go through the same scoring. What the formats are — media
types, aliases, extensions, `format=` names — is `hrgraph.formats.media`, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from hrgraph.formats.media import RESOURCE_FORMATS, MediaFormat, resolve

T = TypeVar("T")


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    def matches(self, media_type: str) -> int:
        """Specificity of the match (3 exact with params, 2 exact, 1 type/*, 0 */*), or -1 for none."""
        mtype, _, rest = media_type.partition("/")
        subtype, _, _ = rest.partition(";")
        if self.type == "*":
            return 0
        if self.type != mtype.lower():
            return -1
        if self.subtype == "*":
            return 1
        if self.subtype != subtype.strip().lower():
            return -1
        if not self.params:
            return 2
        return 3 if set(self.params) <= set(_params(media_type)) else -1


def _params(text: str) -> tuple[tuple[str, str], ...]:
    out = []
    for part in text.split(";")[1:]:
        key, sep, value = part.partition("=")
        if sep:
            out.append((key.strip().lower(), value.strip().strip('"').lower()))
    return tuple(out)


def _q(value: str) -> float:
    try:
        return min(max(float(value), 0.0), 1.0)
    except ValueError:  # a malformed q is treated as absent rather than failing the request
        return 1.0


def parse_accept(header: str | None) -> list[MediaRange]:
    """The ranges of an Accept header; a missing or empty header means `*/*`. Malformed items are skipped."""
    if not header or not header.strip():
        return [MediaRange("*", "*", (), 1.0)]
    ranges = []
    for item in header.split(","):
        head, _, _ = item.partition(";")
        mtype, slash, subtype = head.strip().lower().partition("/")
        if not slash or not mtype or not subtype:
            continue
        params = _params(item)
        q = next((_q(v) for k, v in params if k == "q"), 1.0)
        # Parameters after q are accept-extensions, not media-type parameters.
        before_q = params[: next((i for i, (k, _) in enumerate(params) if k == "q"), len(params))]
        kept = tuple((k, v) for k, v in before_q if k != "charset")
        ranges.append(MediaRange(mtype, subtype, kept, q))
    return ranges


def score(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int]:
    """(q, specificity) the client gives `media_type`: those of the most specific matching range,
    else (0, -1)."""
    best_spec, best_q = -1, 0.0
    for r in ranges:
        spec = r.matches(media_type)
        if spec < 0:
            continue
        if spec > best_spec or (spec == best_spec and r.q > best_q):
            best_spec, best_q = spec, r.q
    return best_q, best_spec


def quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    """The q-value the client gives `media_type`: that of the most specific matching range, else 0."""
    return score(ranges, media_type)[0]


def negotiate(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most, or None when it accepts none. Equal q-values go to the offer the
    client named most specifically (`text/*, text/turtle` prefers Turtle over HTML), then to the earlier
    offer."""
    ranges = parse_accept(accept)
    return _best(offers, lambda offer: score(ranges, offer))


def pick(accept: str | None, name: str | None, offers: Sequence[str]) -> str | None:
    """The media type a request asks for among `offers`: its `format=` value (`name`: a short name of the
    media-type table or a media type) when it has one, else its Accept header; None when nothing fits."""
    return resolve(name, offers) if name else negotiate(accept, offers)


def choose(accept: str | None, formats: Sequence[MediaFormat] = RESOURCE_FORMATS) -> MediaFormat | None:
    """The format the client prefers (by q, then how specifically it named it, then our order), or None
    (406) when it accepts none of them."""
    ranges = parse_accept(accept)
    return _best(formats, lambda fmt: format_score(ranges, fmt))


def _best(items: Sequence[T], key: Callable[[T], tuple[float, int]]) -> T | None:
    """The item with the highest (q, specificity) and q > 0, the earliest on a tie; None when every q is 0."""
    best, best_key = None, (0.0, -1)
    for item in items:
        k = key(item)
        if k[0] > 0 and k > best_key:
            best, best_key = item, k
    return best


def format_score(ranges: Sequence[MediaRange], fmt: MediaFormat) -> tuple[float, int]:
    """(q, specificity) of a format: the most specifically matched of its media types decides, and aliases
    count only when named exactly (a `text/*` says nothing about RDF/XML's `text/xml` alias, and a refused
    `text/turtle;q=0` is not revived by `text/n3`)."""
    scored = [score(ranges, fmt.media_type)]
    scored += [s for s in (score(ranges, alias) for alias in fmt.aliases) if s[1] >= 2]
    spec, q = max((spec, q) for q, spec in scored)
    return q, spec
