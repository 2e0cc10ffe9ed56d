"""Lexical facts about a SPARQL text, found without evaluating it.

pyoxigraph offers no parse-only call and no algebra, yet the endpoint must decide some things before it
evaluates anything: refuse `SERVICE` (no outgoing requests), refuse updates, and know whether the query
names its own dataset (`FROM`), which pyoxigraph's union-default-graph option would otherwise override.
Keywords are bare words once strings, IRIs, comments, variables and prefixed names are skipped, so
`ex:service`, `?service` or `"service"` never count; the scan errs on the side of refusing.

SPARQL allows codepoint escapes (`\u0053ERVICE`) anywhere in a query text, to be decoded before parsing;
pyoxigraph does not decode them outside strings today, but a later version or another engine might, so
the words are collected from the text as written and as decoded, and either one counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings first: they may hold anything
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # an IRI cannot hold '<' or spaces, so `?a < ?b` is no IRI
    r"|\#[^\n]*"
    r"|[?$]\w+"
    r"|(?:[^\W\d][\w.-]*)?:[\w.:%\\-]*"  # prefixed names (and blank-node labels' `:b1`)
    r"|(?P<word>[^\W\d]\w*)"
    r"|.",
    re.DOTALL,
)

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"})


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_codepoints(text: str) -> str:
    """`\\uXXXX` and `\\UXXXXXXXX` replaced by their characters (an invalid code point by U+FFFD)."""
    def char(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CODEPOINT.sub(char, text)


def _words(text: str) -> set[str]:
    return {m.group("word").upper() for m in _TOKEN.finditer(text) if m.group("word")}


@lru_cache(maxsize=256)  # one request asks three questions of the same text (update? SERVICE? FROM?)
def keywords(text: str) -> frozenset[str]:
    """The upper-cased bare words of a query (its keywords and built-in function names), as written and
    with codepoint escapes decoded."""
    words = frozenset(_words(text))
    decoded = decode_codepoints(text)
    return words | _words(decoded) if decoded != text else words


def uses_service(text: str) -> bool:
    return "SERVICE" in keywords(text)


def is_update(text: str) -> bool:
    """True for SPARQL Update text; these words cannot occur as keywords in a query."""
    return bool(UPDATE_KEYWORDS & keywords(text))


def has_dataset_clause(text: str) -> bool:
    """True when the query has `FROM` / `FROM NAMED`, whose dataset must then be respected."""
    return "FROM" in keywords(text)


_DECLARED = re.compile(r"PREFIX\s+([^\W\d][\w.-]*)?:", re.IGNORECASE)


def prefixes(text: str) -> tuple[set[str], set[str]]:
    """(prefixes the query's prefixed names use, prefixes it declares); `""` is the empty prefix (`:x`).
    Blank node labels (`_:b`) are no prefixed names."""
    used, declared = set(), set()
    previous = ""
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token.isspace():
            continue
        if ":" in token and not token.startswith(("<", "#", "?", "$", '"', "'")):
            prefix = token.split(":", 1)[0]
            (declared if previous.upper() == "PREFIX" else used).add(prefix)
        previous = token
    return used - {"_"}, declared


def predeclare(text: str, table: dict[str, str]) -> tuple[str, int]:
    """The query with `PREFIX` declarations of `table` added for the prefixes it uses without declaring them,
    on its first line (so line numbers of errors stay right), and how many characters were added there."""
    used, declared = prefixes(text)
    added = "".join(f"PREFIX {p}: <{table[p]}> " for p in sorted(used - declared) if p in table)
    return added + text, len(added)
