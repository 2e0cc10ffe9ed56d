"""`hrgraph review`: propose each extracted candidate beside its source text; accept, edit or reject it.

    hrgraph review                      # one candidate after another in the terminal
    hrgraph review --list               # the pending candidates, one line each
    hrgraph review --accept KEY         # or --reject KEY [--reason WHY], --edit KEY field=value ...
    hrgraph review --serve [--port N]   # a local page on 127.0.0.1 (never part of the public app)

The curator is --by NAME, else the HRGRAPH_CURATOR setting, else the login name. Decisions go to
data/curated/reviews.yaml.
"""

from __future__ import annotations

import getpass
import sys
from dataclasses import dataclass, field
from typing import Any, TextIO

import yaml

from hrgraph.config import Settings
from hrgraph.model.namespaces import Iris
from hrgraph.model.records import Evidence, Record
from hrgraph.pipeline import restrict
from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.masking import Masker
from hrgraph.pipeline.review.candidates import Selection, pending, select
from hrgraph.pipeline.review.decisions import decide

EDITABLE = ("person", "persons", "provision", "court", "sentence", "stage", "status", "former", "criterion",
            "demand_type", "addressed_to", "submitted_by", "recognised_by", "statement", "date", "kind", "class",
            "note")


@dataclass
class Workspace:
    """What a review session works on: the candidates of data/sources against data/curated, and the texts."""

    settings: Settings
    selection: Selection
    texts: dict[str, str]
    labels: dict[str, str]  # key -> label of every record (for showing references by name)
    masker: Masker = field(default_factory=Masker)  # protected persons' names, masked in all it shows

    @classmethod
    def load(cls, settings: Settings) -> Workspace:
        from hrgraph.pipeline.ingest import ingest_files, source_paths

        curated, _ = load_curated(settings.curated_dir, settings.root)
        result = ingest_files(source_paths(settings.sources_dir), curated, settings.data_dir / "keys.tsv")
        selection = select(curated, result.records)
        # A candidate about a protected person is never proposed (nor written to reviews.yaml, a tracked file),
        # and their names are masked in the texts and labels shown around the others.
        masker = Masker()
        protected = restrict.withheld_persons(list(curated) + result.records, Iris(settings.base), masker)
        selection.pending = [r for r in selection.pending if not restrict.is_about(r, protected)]
        labels = {r.key: masker.redact(r.label) for r in list(curated) + result.records if r.label}
        return cls(settings, selection, result.texts, labels, masker)

    def context(self, ev: Evidence, width: int = 300) -> tuple[str, str, str, str]:
        """(file, before, quote, after) of a piece of evidence as shown: protected persons masked."""
        text = self.texts.get(ev.source, "")
        shown = self.masker.mask(text)[0] if text else ""
        return (self.masker.redact(ev.source), *context(text, ev.quote, ev.occurrence, width, shown))

    def candidates(self) -> list[Record]:
        return pending(self.selection)

    def find(self, key: str) -> Record | None:
        return next((r for r in self.selection.pending if r.key == key), None)

    def decide(self, key: str, decision: str, by: str, changes: dict[str, Any] | None = None,
               reason: str = "") -> dict[str, Any]:
        candidate = self.find(key)
        if candidate is None:
            raise KeyError(f"no pending candidate has the key '{key}' (see `hrgraph review --list`)")
        entry = decide(self.settings.curated_dir, candidate, decision, by, changes, reason)
        self.selection.pending = [r for r in self.selection.pending if r.key != key]
        return entry

    def describe(self, r: Record) -> str:
        """One line: what the candidate says, with names instead of keys."""
        f = r.fields
        def name(v: Any) -> str:
            return ", ".join(self.labels.get(str(x), str(x)) for x in (v if isinstance(v, list) else [v]))
        parts = [str(f.get("type") or f.get("kind") or r.kind)]
        for k in ("person", "persons", "provision", "status", "stage", "court", "sentence", "demand_type",
                  "submitted_by", "addressed_to", "signatories"):
            if f.get(k) not in (None, "", []):
                parts.append(f"{k}: {name(f[k])}")
        return self.masker.redact(" | ".join(parts))


def curator(by: str | None, settings: Settings) -> str:
    return by or settings.curator or getpass.getuser()


def context(text: str, quote: str, occurrence: int = 1, width: int = 300, shown: str | None = None) \
        -> tuple[str, str, str]:
    """The text around the n-th occurrence of a quote: (before, quote, after), cut from `shown` (the text
    masked, of the same length) when given."""
    shown = text if shown is None else shown
    pos = -1
    for _ in range(max(occurrence, 1)):
        pos = text.find(quote, pos + 1)
    if pos < 0:
        return "", quote if shown is text else "", ""
    end = pos + len(quote)
    return shown[max(0, pos - width):pos], shown[pos:end], shown[end:end + width]


def parse_changes(pairs: list[str]) -> dict[str, Any]:
    """field=value pairs (a YAML value: a list is [a, b], true/false are booleans); only editable fields."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or name.strip() not in EDITABLE:
            raise ValueError(f"'{pair}': give field=value with a field among {', '.join(EDITABLE)}")
        out[name.strip()] = yaml.safe_load(value) if value.strip() else None
    return out


def run(settings: Settings, args: Any, out: TextIO = sys.stdout, inp: TextIO = sys.stdin) -> int:
    if args.serve:
        from hrgraph.pipeline.review.server import serve

        serve(settings, args.port, curator(args.by, settings))
        return 0
    ws = Workspace.load(settings)
    by = curator(args.by, settings)
    try:
        if args.accept:
            ws.decide(args.accept, "accepted", by, reason=args.reason or "")
        elif args.reject:
            ws.decide(args.reject, "rejected", by, reason=args.reason or "")
        elif args.edit:
            ws.decide(args.edit[0], "edited", by, parse_changes(args.edit[1:]), args.reason or "")
        elif args.list:
            for r in ws.candidates():
                print(f"{r.key}  ({r.fields.get('confidence')}, {r.fields.get('extracted_by')})  {ws.describe(r)}",
                      file=out)
        else:
            return interactive(ws, by, out, inp)
    except (KeyError, ValueError) as exc:
        print(f"hrgraph review: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    return 0


def interactive(ws: Workspace, by: str, out: TextIO, inp: TextIO) -> int:
    todo = ws.candidates()
    print(f"{len(todo)} candidate(s) to review; decisions go to {ws.settings.curated_dir / 'reviews.yaml'}",
          file=out)
    for r in todo:
        print("\n" + "-" * 100, file=out)
        print(f"{r.key}  rule {r.fields.get('extracted_by')}  confidence {r.fields.get('confidence')}", file=out)
        print(ws.describe(r), file=out)
        if r.key in ws.selection.disputed:
            print(f"DISAGREES with curated {ws.masker.redact(ws.selection.disputed[r.key].ref())}", file=out)
        for ev in r.evidence:
            file, before, quote, after = ws.context(ev, 160)
            print(f"[{file}] …{before}\033[7m{quote}\033[0m{after}…", file=out)
        print("[a]ccept  [e]dit  [r]eject  [s]kip  [q]uit > ", end="", file=out, flush=True)
        answer = inp.readline().strip().lower()[:1]
        if answer == "q" or answer == "":
            break
        if answer == "a":
            ws.decide(r.key, "accepted", by)
        elif answer == "r":
            print("reason > ", end="", file=out, flush=True)
            ws.decide(r.key, "rejected", by, reason=inp.readline().strip())
        elif answer == "e":
            print(f"field=value ... (fields: {', '.join(EDITABLE)}) > ", end="", file=out, flush=True)
            ws.decide(r.key, "edited", by, parse_changes(inp.readline().split()))
    return 0
