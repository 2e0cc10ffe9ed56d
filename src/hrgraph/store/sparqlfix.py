"""Rewrites of a query text that mean the same in SPARQL 1.1 and dodge known engine bugs (Virtuoso 7.2), so the
remote back-end answers like the embedded one. Each is safe on a conformant engine, so none depends on
which engine answers.

- `FILTER (NOT) EXISTS` in a group without triple patterns (`{ FILTER EXISTS {…} BIND(true AS ?x) }`) is
  ignored by Virtuoso 7.2: the filter always passes. A one-row table with an unbound variable in the same
  group (`VALUES ?hrgraph_unit { UNDEF }`, a neutral join) makes it evaluate the filter.
- `ASK { GRAPH <g> {…} }` answers true when <g> is not among the request's named graphs (Virtuoso 7.2); the
  same pattern as `SELECT * … LIMIT 1` is answered right, so an ASK is sent as that and judged by its rows.
"""

from __future__ import annotations

import re

UNIT = "hrgraph_unit"
_WORDS = re.compile(  # strings, IRIs, comments, variables and prefixed names skipped; bare words captured
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|<[^<>\"{}|^`\\\x00-\x20]*>|\#[^\n]*|[?$]\w+|(?:[^\W\d][\w.-]*)?:[\w.:%-]*"
    r"|(?P<word>[^\W\d]\w*)|\S",
    re.DOTALL,
)
_REST = re.compile(r"\s*(?:#[^\n]*\s*)*")  # what may follow the group of an ASK: blanks and comments


def _words(query: str) -> list[re.Match[str]]:
    return [m for m in _WORDS.finditer(query) if m.group("word")]


def unit_before_exists(query: str) -> str:
    """`VALUES ?hrgraph_unit { UNDEF }` inserted before each `FILTER EXISTS` / `FILTER NOT EXISTS`."""
    words = _words(query)
    starts = [a.start() for a, b in zip(words, words[1:], strict=False)
              if a.group("word").upper() == "FILTER" and b.group("word").upper() in ("EXISTS", "NOT")]
    for start in reversed(starts):
        query = f"{query[:start]}VALUES ?{UNIT} {{ UNDEF }} {query[start:]}"
    return query


def ask_as_select(query: str) -> str | None:
    """The ASK query as `SELECT * … LIMIT 1`; None when something follows its group (a VALUES clause or a
    solution modifier), where it is left as ASK."""
    ask = next((m for m in _words(query) if m.group("word").upper() == "ASK"), None)
    if ask is None:
        return None
    depth, end = 0, None
    for m in _WORDS.finditer(query, ask.end()):
        if m.group(0) in "{}":
            depth += 1 if m.group(0) == "{" else -1
            if depth == 0:
                end = m.end()
                break
    if end is None or not _REST.fullmatch(query, end):
        return None
    return f"{query[:ask.start()]}SELECT *{query[ask.end():]}\nLIMIT 1"


def normalise_results(xml_results: bytes) -> bytes:
    """SPARQL XML results as a conformant parser reads them: the helper variable out of a SELECT *'s head
    (it is never bound), and Virtuoso's blank node labels (`nodeID://b1004`, not a valid label) made plain."""
    return (xml_results.replace(f'<variable name="{UNIT}"/>'.encode(), b"")
            .replace(b"<bnode>nodeID://", b"<bnode>"))
