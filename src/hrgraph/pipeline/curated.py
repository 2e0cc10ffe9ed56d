"""Read `data/curated/*.yaml` into `Record`s: parsed strictly (yamlsafe.py), checked against the schema
(schema.py), each record keeping its file and line for every message.

A file that breaks the schema stops the build: every violation of every file is listed (file, line, kind,
key, field, what is wrong) in one DataError (exit 2), before anything is emitted or published. A key used
twice is reported the same way: the second record would otherwise be dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hrgraph.errors import DataError
from hrgraph.model.records import Evidence, Origin, Problem, Record
from hrgraph.pipeline import schema
from hrgraph.pipeline.yamlsafe import LINE, LINES, load

KEY_RE = schema.KEY


def read_yaml(path: Path, root: Path) -> dict[str, Any]:
    """Parse one file strictly; a syntax error, an alias, a duplicated key, a file too large, binary or empty
    becomes a DataError naming the file and line."""
    return load(path, _rel(path, root))


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _evidence(raw: dict[str, Any]) -> Iterator[Evidence]:
    items = list(raw.get("evidence") or [])
    if raw.get("quote"):
        items.insert(0, {"source": raw.get("source"), "quote": raw["quote"]})
    for item in items:
        yield Evidence(str(item.get("source", "")), str(item.get("quote", "")), int(item.get("occurrence", 1)))


def _strip(value: Any) -> Any:
    """A parsed value without the loader's line bookkeeping."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in (LINE, LINES)}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _records_of(kind: str, items: Any, file: str, line: int, errors: list[str]) -> Iterator[Record]:
    if kind not in schema.KINDS:
        errors.append(f"{file}:{line}: '{kind}' is not a kind of record (one of: {', '.join(schema.KINDS)})")
        return
    if not isinstance(items, list):
        errors.append(f"{file}:{line}: '{kind}' must be a list of records")
        return
    for i, raw in enumerate(items, 1):
        if not isinstance(raw, dict):
            errors.append(f"{file}:{line}: {kind} #{i}: a record must be a mapping of field: value")
            continue
        start, lines = raw.get(LINE, line), raw.get(LINES, {})
        clean = _strip(raw)
        found = schema.problems(kind, clean)
        for name, message in found:
            at = lines.get(name.split(".", 1)[0], start)
            errors.append(f"{file}:{at}: {kind[:-1]} '{clean.get('key', f'#{i}')}', field '{name}': {message}")
        if not found:
            fields = {k: v for k, v in clean.items() if k != "evidence"}
            yield Record(kind, clean["key"], fields, Origin(file, start), tuple(_evidence(clean)))


def load_curated(curated_dir: Path, root: Path) -> tuple[list[Record], list[Problem]]:
    """All records of all files, in file order. Raises DataError listing every schema violation."""
    records: list[Record] = []
    errors: list[str] = []
    seen: dict[tuple[str, str], Record] = {}
    for path in sorted(curated_dir.glob("*.yaml")):
        file = _rel(path, root)
        doc = read_yaml(path, root)
        lines = doc.get(LINES, {})
        for kind, items in doc.items():
            if kind in (LINE, LINES):
                continue
            for item in _records_of(str(kind), items, file, lines.get(str(kind), 1), errors):
                if (item.kind, item.key) in seen:
                    errors.append(f"{item.origin}: {item.kind[:-1]} '{item.key}': the key is already used by "
                                  f"{seen[(item.kind, item.key)].ref()}")
                else:
                    seen[(item.kind, item.key)] = item
                    records.append(item)
    if errors:
        shown = errors[:50] + ([f"... and {len(errors) - 50} more"] if len(errors) > 50 else [])
        raise DataError("curated data breaks its schema (data/curated/README.md):\n  " + "\n  ".join(shown),
                        hint="nothing was built or published; fix these and build again")
    return records, []
