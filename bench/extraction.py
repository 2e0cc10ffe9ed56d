"""Precision/recall of `hrgraph ingest` per kind of fact, and of the court and sentence a charge carries: on the
dev set (tests/fixtures/devset, pages written with the rules), on every round of held-out pages
(tests/fixtures/heldout, heldout2, ... heldout9: each written after the rules of the round before were done, in new
styles; the figures of its first run, before any tuning, are kept in its FIRST_RUN.txt; the newest round's first
run is the honest figure of the current rules), and on the seed pages against their gold standard
(tests/fixtures/gold/seeds.yaml).

    .venv/bin/python bench/extraction.py [--misses] [--with-curated]

--misses lists every false positive and miss of the dev set; --misses=heldout4 (a folder name) those of another
set. Tune only on a set whose first run is kept in its FIRST_RUN.txt, and write a new round before calling a
figure honest: the figure that counts is the first run of pages the rules never saw.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from hrgraph.pipeline.curated import load_curated
from hrgraph.pipeline.ingest import ingest_files
from hrgraph.pipeline.ingest.evaluate import evaluate, misses, score_pages, table

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


def pages(folder: Path, show_misses: bool) -> None:
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))["pages"]
    result = ingest_files(sorted(p for p in folder.iterdir() if p.name in gold))
    print(f"\n{folder.relative_to(REPO)}: {len(gold)} pages")
    print(table(score_pages(result.records, gold)))
    if show_misses:
        print("\n".join(misses(result.records, gold)) or "(no misses)")


def main(argv: list[str]) -> int:
    show = {a.split("=", 1)[1] if "=" in a else "devset" for a in argv if a.startswith("--misses")}
    for folder in [FIXTURES / "devset"] + sorted(FIXTURES.glob("heldout*"), key=lambda p: (len(p.name), p.name)):
        pages(folder, folder.name in show)
    gold = yaml.safe_load((FIXTURES / "gold" / "seeds.yaml").read_text(encoding="utf-8"))
    known = load_curated(REPO / "data" / "curated", REPO)[0] if "--with-curated" in argv else []
    result = ingest_files(sorted((REPO / "data" / "sources").glob("*.txt")), known)
    print(f"\nseeds (data/sources) against tests/fixtures/gold/seeds.yaml; curated records as known entities: "
          f"{'yes' if known else 'no'}")
    print(table(evaluate(result.records, gold, result.texts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
