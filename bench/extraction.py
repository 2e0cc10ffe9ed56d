"""Precision/recall of `hrgraph ingest` against the gold standard of the seed pages (tests/fixtures/gold).

    .venv/bin/python bench/extraction.py [GOLD.yaml] [--with-curated]
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.ingest import ingest_files
from hrgraph.pipeline.ingest.evaluate import evaluate, table

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    gold_path = Path(args[0]) if args else REPO / "tests" / "fixtures" / "gold" / "seeds.yaml"
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    known = load_curated(REPO / "data" / "curated", REPO)[0] if "--with-curated" in argv else []
    result = ingest_files(sorted((REPO / "data" / "sources").glob("*.txt")), known)
    print(f"gold: {gold_path}; curated records as known entities: {'yes' if known else 'no'}")
    print(table(evaluate(result.records, gold, result.texts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
