"""Lexical facts about a SPARQL text, found without evaluating it.

pyoxigraph offers no parse-only call and no algebra, yet the endpoint must decide some things before it
evaluates anything: refuse `SERVICE` (no outgoing requests), refuse updates, and know whether the query
names its own dataset (`FROM`), which pyoxigraph's union-default-graph option would otherwise override.
Keywords are bare words once strings, IRIs, comments, variables and prefixed names are skipped, so
`ex:service`, `?service` or `"service"` never count; the scan errs on the side of refusing.

SPARQL allows codepoint escapes (`\u0053ERVICE`) anywhere in a query text, to be decoded before parsing;
pyoxigraph does not decode them outside strings today, but a later version or another engine might, so
the words are collected from the text as written and as decoded, and either one counts.

The shape of a query is bounded here too (`excess`): pyoxigraph parses and evaluates by recursion, so a
query whose algebra is a few thousand levels deep overflows its stack and kills the process that runs it.
Nesting makes it deep, and so does a long chain, which the algebra nests one operand inside the next.
Measured with pyoxigraph 0.5 in an 8 MiB main-thread stack (a query worker's), fatal: 2,500 nested `{ }`
groups, 10,000 parentheses, a chain of 3,000 BINDs, 5,000 MINUS, 10,000 `||`, `+`, UNION, OPTIONAL or `/`,
20,000 triple patterns; 1,500 groups and 2,000 of any chain still ran. So at most `MAX_NESTING` (400) levels
of brackets and `MAX_ELEMENTS` (1,000) patterns, operators and clauses in the whole text are accepted: far
above real queries, and together (1,400) still below the lowest crash. Lists (VALUES rows, `IN (…)`, a
function's arguments) are flat in the algebra and do not count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings first: they may hold anything
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"  # an IRI cannot hold '<' or spaces, so `?a < ?b` is no IRI
    r"|\#[^\n]*"
    r"|\|\||&&|!=|<=|>=|\^\^"  # two-character operators, one token each
    r"|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"  # numbers, whose '.' separates nothing
    r"|[?$]\w+"
    r"|(?:[^\W\d][\w.-]*)?:[\w.:%\\-]*"  # prefixed names (and blank-node labels' `:b1`)
    r"|(?P<word>[^\W\d]\w*)"
    r"|.",
    re.DOTALL,
)

MAX_NESTING = 400  # levels of { }, ( ) and [ ] together
MAX_ELEMENTS = 1000  # triple patterns, operators and clauses in the whole text
_OPENING, _CLOSING = frozenset("{(["), frozenset("})]")
_OPERATORS = frozenset({"||", "&&", "!", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"})
_CLAUSES = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "EXISTS"})
_SEPARATORS = frozenset(".;,")  # of triple patterns, in a group or a `[ ]`; inside `( )` a list's commas

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


@dataclass(frozen=True)
class Excess:
    """Where a query text first goes past one of the bounds on its shape."""

    bound: str  # "nesting" or "elements"
    line: int  # from 1
    column: int  # from 1


def excess(text: str, max_nesting: int = MAX_NESTING, max_elements: int = MAX_ELEMENTS) -> Excess | None:
    """The first place where `text` nests `{ }`, `( )` and `[ ]` deeper than `max_nesting` levels, or holds
    more than `max_elements` patterns, operators and clauses; None when it stays within both. Strings, IRIs
    and comments do not count."""
    brackets: list[str] = []
    elements = 0
    values: int | None = None  # after VALUES: the depth of its data block, where nothing counts (`-1` is a term)
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token in _OPENING:
            brackets.append(token)
            if len(brackets) > max_nesting:
                return _excess_at(text, m.start(), "nesting")
            if values == 0 and token == "{":
                values = len(brackets)
        elif token in _CLOSING:
            if values and len(brackets) == values:
                values = None
            if brackets:
                brackets.pop()
        elif not values and _is_element(token, bool(m.group("word")), brackets[-1] if brackets else "{"):
            elements += 1
            if elements > max_elements:
                return _excess_at(text, m.start(), "elements")
            if token.upper() == "VALUES":
                values = 0
    return None


def _is_element(token: str, word: bool, innermost: str) -> bool:
    """Whether a token adds a level to the algebra: an operator, a clause, a separator of triple patterns."""
    if word:
        return token.upper() in _CLAUSES
    return token in _OPERATORS or (token in _SEPARATORS and innermost != "(")


def _excess_at(text: str, pos: int, bound: str) -> Excess:
    return Excess(bound, text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1)


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
