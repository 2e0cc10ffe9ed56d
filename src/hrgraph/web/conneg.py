"""Content negotiation, pure: an `Accept` header and the media types a route can produce in, the one to
use out.

No Flask here, so it is tested with plain strings. Scoring follows RFC 9110 §12.5.1: each offer takes the
q-value of the most specific range that matches it (`text/turtle` beats `text/*` beats `*/*`, and a range
whose parameters match beats one without); the highest q wins and ties go to the route's own order of
preference, which is how a browser's `text/html,...,*/*;q=0.8` gets HTML and `curl` (`*/*`) gets the default.

Two users: the SPARQL endpoint negotiates over media types (`negotiate`, `from_alias`); resource pages over
the `Format` table (`choose`, `by_extension`). Both go through the same scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Short names accepted as a `format=` / `output=` parameter or a file extension, as an override of Accept.
ALIASES: Mapping[str, str] = {
    "html": "text/html",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "n3": "text/turtle",  # Turtle is N3 without its extensions: what SPARQLWrapper's N3 asks for
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "txt": "text/plain",
    "text": "text/plain",
}


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
    best, best_key = None, (0.0, -1)
    for offer in offers:
        key = score(ranges, offer)
        if key[0] > 0 and key > best_key:
            best, best_key = offer, key
    return best


# --- Documents about resources: one table of formats, the media-type knowledge lives here, not in routes.


@dataclass(frozen=True)
class Format:
    """A format a resource description is served in: `serializer` names the pyoxigraph RdfFormat attribute
    (or "html" for the template); `aliases` are other media types clients use for the same syntax."""

    name: str
    media_type: str
    extension: str
    serializer: str
    aliases: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


HTML = Format("html", "text/html", "html", "html", ("application/xhtml+xml",))
TURTLE = Format("turtle", "text/turtle", "ttl", "TURTLE",
                ("application/x-turtle", "application/turtle", "text/n3"))
JSONLD = Format("json-ld", "application/ld+json", "jsonld", "JSON_LD", ("application/json",))
NTRIPLES = Format("n-triples", "application/n-triples", "nt", "N_TRIPLES", ("text/plain",))
RDFXML = Format("rdf-xml", "application/rdf+xml", "rdf", "RDF_XML", ("application/xml", "text/xml"))

# In order of the server's preference: a client that says nothing (`*/*`, curl, wget, requests) gets HTML.
RESOURCE_FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)


def choose(accept: str | None, formats: Sequence[Format] = RESOURCE_FORMATS) -> Format | None:
    """The format the client prefers (by q, then how specifically it named it, then our order), or None
    (406) when it accepts none of them."""
    ranges = parse_accept(accept)
    best, best_key = None, (0.0, -1)
    for fmt in formats:
        key = format_score(ranges, fmt)
        if key[0] > 0 and key > best_key:
            best, best_key = fmt, key
    return best


def format_score(ranges: Sequence[MediaRange], fmt: Format) -> tuple[float, int]:
    """(q, specificity) of a format: the most specifically matched of its media types decides, and aliases
    count only when named exactly (a `text/*` says nothing about RDF/XML's `text/xml` alias, and a refused
    `text/turtle;q=0` is not revived by `text/n3`)."""
    scored = [score(ranges, fmt.media_type)]
    scored += [s for s in (score(ranges, alias) for alias in fmt.aliases) if s[1] >= 2]
    spec, q = max((spec, q) for q, spec in scored)
    return q, spec


def by_extension(extension: str, formats: Sequence[Format] = RESOURCE_FORMATS) -> Format | None:
    """The format a file extension (`ttl`, `jsonld`, ...) names, as an override of Accept."""
    return next((f for f in formats if f.extension == extension.lower()), None)


def from_alias(name: str | None, offers: Sequence[str]) -> str | None:
    """A `format=` value (short name or full media type) resolved against what the route offers."""
    if not name:
        return None
    key = name.strip().lower()
    media_type = ALIASES.get(key, key)
    if media_type in offers:
        return media_type
    # `format=xml` or `format=json` on a CONSTRUCT means the RDF flavour of that syntax.
    rdf_twin = {"application/sparql-results+xml": "application/rdf+xml",
                "application/sparql-results+json": "application/ld+json"}.get(media_type)
    return rdf_twin if rdf_twin in offers else None
