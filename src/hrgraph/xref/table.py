"""CSV in and out, the way analysts' spreadsheets write and read it.

In: UTF-8 (with or without the byte-order mark Excel writes) or UTF-16 with its mark; the delimiter the header
uses (`,`, `;` as European Excel writes, or tab); a header row naming a column of names (`name`, `full name`,
`person`, `ФИО`, `імя і прозвішча` … or `surname` + `given name`), and optionally a year of birth and an
article. Anything else is refused with `TableError` (a 4xx status and a message that says what and where):
another encoding (with a guess at which, so the user knows what to re-save), a spreadsheet file instead of CSV,
no header, more rows than allowed, a quote that opens and never closes (a lenient reader would swallow every
line after it into one cell, losing those rows), a name that runs over several lines (the same slip, closed
further down), and cells a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`,
`-HYPERLINK(…)`): those are refused rather than silently altered, each named by row and column.

Out: every cell that starts like a formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading
apostrophe (OWASP's advice; spreadsheets show it as text), so an exported CSV never carries a formula, whatever
a label in the graph says. A byte-order mark leads the file, so Excel reads the Cyrillic names as UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hrgraph.errors import HrgraphError
from hrgraph.names.titles import words

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Refused on input: what a spreadsheet would evaluate. A lone dash (an empty cell in many lists), a negative or
# signed number and a telephone number (+375 …) are data, not formulas.
FORMULA = re.compile(r"^[\t\r]|^\s*[=@]|^\s*[+\-]\s*[^\d\s.,\-]")
NAME_HEADERS = {"name", "names", "fullname", "person", "personname", "fio", "imyaprozvishcha", "familiyaimya",
                "imyafamiliya", "prisoner", "politicalprisoner"}
SURNAME_HEADERS = {"surname", "lastname", "familyname", "familiia", "familiya", "prozvishcha"}
GIVEN_HEADERS = {"givenname", "firstname", "forename", "givennames", "imia", "imya"}
MAX_SHOWN = 10  # offending cells named in one message


class TableError(HrgraphError):
    """A CSV that cannot be read as a list of names; `status` is what a web client is answered (400, 413)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status  # type: ignore[misc]  # per instance, where other errors set it per class

    @property
    def message(self) -> str:
        return self.what


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]  # padded to the header's width
    lines: list[int]  # the file line each row starts on (header is line 1)
    name: int | None  # column of full names
    surname: int | None = None  # or surname + given name columns
    given: int | None = None

    def name_of(self, row: list[str]) -> str:
        if self.name is not None:
            return row[self.name].strip()
        parts = [row[i].strip() for i in (self.given, self.surname) if i is not None]
        return " ".join(p for p in parts if p)


QUALIFIER = re.compile(r"\s*[(\[][^)\]]*[)\]]")


def unqualified(header: str) -> str:
    """A header without what it says in brackets: `Name (Latin)`, `ФИО (рус.)`, `Year of birth [dd.mm.yyyy]`."""
    return QUALIFIER.sub("", header).strip() or header


def _key(header: str) -> str:
    return "".join(words(unqualified(header)))


def decode(data: bytes) -> str:
    """The text of an upload; TableError(415/422) saying which encoding it is not, and where."""
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TableError(415, "this is a spreadsheet file (xlsx/xls), not CSV: save it as \"CSV UTF-8\" and "
                              "upload that")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError(422, f"the file starts like UTF-16 but byte {exc.start} is not UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise TableError(422, f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at line {line}, column "
                              f"{column} is not UTF-8{_guess(data)}. Save it as \"CSV UTF-8\" (Excel) or with "
                              "the UTF-8 character set (LibreOffice) and upload it again") from None


def _guess(data: bytes) -> str:
    """Which single-byte encoding the bytes read best in (a hint for the message)."""
    for encoding, script in (("cp1251", "Cyrillic"), ("cp1250", "Central European"), ("latin-1", "Western")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = [c for c in text if c.isalpha() and not c.isascii()]
        if letters and (encoding != "cp1251" or sum("\u0400" <= c <= "\u04ff" for c in letters) > len(letters) / 2):
            return f" (it reads as {encoding}, {script})"
    return ""


def read(data: bytes, max_rows: int) -> Table:
    """Parse an uploaded CSV (see the module docstring); TableError for what cannot be used."""
    text = decode(data)
    if "\x00" in text:
        raise TableError(422, "the file holds NUL characters: it is not a text CSV file")
    if not text.strip():
        raise TableError(422, "the file is empty: it needs a header row (e.g. `name,birth year,article`) and a "
                              "row per person")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        records = [(reader_line, row) for reader_line, row in _rows(text, delimiter)]
    except csv.Error as exc:
        raise TableError(422, f"the file is not readable as CSV: {exc}") from None
    if not records:
        raise TableError(422, "the file has no rows")
    _refuse_open_quote(text, records[-1][0])
    (_, header), body = records[0], records[1:]
    body = [(n, r) for n, r in body if any(c.strip() for c in r)]
    if len(body) > max_rows:
        raise TableError(413, f"the file has {len(body):,} rows; at most {max_rows:,} are cross-referenced in one "
                              "upload: split it into parts")
    keys = [_key(h) for h in header]
    name = next((i for i, k in enumerate(keys) if k in NAME_HEADERS), None)
    surname = next((i for i, k in enumerate(keys) if k in SURNAME_HEADERS), None)
    given = next((i for i, k in enumerate(keys) if k in GIVEN_HEADERS and i != surname), None)
    if name is None and surname is None:
        shown = delimiter.join(header)[:200]
        raise TableError(422, f"no header naming the names: the first row ({shown!r}) must name the columns, one "
                              "of them `name` (or `surname` and `given name`); optional: `birth year`, `article`")
    width = len(header)
    rows = [r[:width] + [""] * (width - len(r)) for _, r in body]
    _refuse_broken_names(header, rows, [n for n, _ in body], [i for i in (name, surname, given) if i is not None])
    _refuse_formulas(header, rows, [n for n, _ in body])
    return Table(header, rows, [n for n, _ in body], name, surname if name is None else None,
                 given if name is None else None)


def _rows(text: str, delimiter: str) -> Iterable[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    for row in reader:
        yield line, row
        line = reader.line_num + 1


def _refuse_open_quote(text: str, last_start: int) -> None:
    """The last record ran to the end of the file inside a quoted cell: an odd number of quotes from its line on
    (a closed quoted cell, its doubled quotes included, always has an even number)."""
    rest = text.split("\n")[last_start - 1:]
    if len([line for line in rest if line.strip()]) > 1 and "\n".join(rest).count('"') % 2:
        raise TableError(422, f"line {last_start}: a cell opens a quote (\") that never closes, so every line after "
                              "it would be read as one cell: close the quote, or remove it, and upload again")


def _refuse_broken_names(header: list[str], rows: list[list[str]], lines: list[int], columns: list[int]) -> None:
    """A name over several lines is a quote closed too late: the rows between were swallowed into it."""
    for row, line in zip(rows, lines, strict=True):
        for i in columns:
            if "\n" in row[i].strip() or "\r" in row[i].strip():
                spans = row[i].strip().count("\n") + 1
                raise TableError(422, f"line {line}, column {header[i]!r}: the name runs over {spans} lines "
                                      f"({row[i].strip()[:60]!r}): a quote (\") that opens there closes only "
                                      "further down, taking the rows between with it; fix the quotes and upload "
                                      "again")


def _refuse_formulas(header: list[str], rows: list[list[str]], lines: list[int]) -> None:
    found = [(line, header[i] or f"column {i + 1}", cell) for row, line in zip(rows, lines, strict=True)
             for i, cell in enumerate(row) if FORMULA.search(cell)]
    if not found:
        return
    shown = "; ".join(f"line {line}, column {col!r}: {cell[:40]!r}" for line, col, cell in found[:MAX_SHOWN])
    more = f" (and {len(found) - MAX_SHOWN} more)" if len(found) > MAX_SHOWN else ""
    raise TableError(422, f"{len(found)} cell(s) would run as a spreadsheet formula, and are not accepted: {shown}"
                          f"{more}. Remove the leading = + - @ (or put the text in quotes with an apostrophe) and "
                          "upload again")


def safe(cell: object) -> str:
    """A cell as text that no spreadsheet runs as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_START) else text


def write(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV (RFC 4180, CRLF) with every cell made safe, led by a byte-order mark for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe(h) for h in header])
    for row in rows:
        writer.writerow([safe(c) for c in row])
    return out.getvalue()
