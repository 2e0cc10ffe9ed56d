"""Ingest speed: 1,000 pages made by recombining the seed pages' patterns with other names (documents per
second), and one long page (1 MB by default) read in one piece: ingest proper (read → recognise → claims →
identity) and the whole `hrgraph ingest` command (the preparation path: restriction, emit, SHACL gate,
N-Triples out). Time must grow linearly with the page: the 1 MB figure's target is under 10 s for ingest.
CPU seconds are printed beside wall-clock ones: on a machine shared with other work they are the figure
that says what the code costs.

    .venv/bin/python bench/ingest_speed.py [N] [--page BYTES]
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hrgraph.pipeline.ingest import ingest_files

GIVEN = ["Raman", "Katsiaryna", "Leanid", "Ihar", "Maryia", "Maksim", "Tatsiana", "Stsiapan", "Kanstantsin",
         "Nasta", "Vadzim", "Larysa", "Vital", "Yulia", "Artsiom", "Palina", "Kiryl", "Sviatlana", "Ryhor", "Natallia"]
SURNAME_STEMS = ["Bandarchyk", "Navitsk", "Sudnik", "Lasitsk", "Kaliad", "Zhnak", "Lebedz", "Malysh", "Zhuk",
                 "Lahunovich", "Babrousk", "Shchyrak", "Harbuz", "Maroz", "Dubrouk", "Kuzmich", "Tsikhan", "Sharko"]
ORGS = ["Legal Initiative", "Human Constanta", "Belarusian Association of Journalists", "PEN Belarus",
        "Viasna Human Rights Center", "Belarusian Helsinki Committee"]
CITIES = ["Minsk", "Brest", "Hrodna", "Homiel", "Viciebsk", "Babruisk", "Pinsk", "Lida"]


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN)
    stem = rng.choice(SURNAME_STEMS)
    female = given.endswith("a")
    ending = rng.choice(["ava", "aya"]) if female and not stem.endswith("ich") else rng.choice(["au", "i", "ich", ""])
    return f"{given} {stem}{ending}"


def names(rng: random.Random, n: int) -> str:
    people = [person(rng) for _ in range(n)]
    return ", ".join(people[:-1]) + " and " + people[-1] if n > 1 else people[0]


def listing(rng: random.Random) -> str:
    items = []
    for _ in range(rng.randint(3, 6)):
        kind = rng.randrange(4)
        if kind == 0:
            items.append(f"• Immediately release political prisoners {names(rng, 2)}!\n\n    The detention is "
                         "politically motivated and related solely to the exercise of freedom of expression. //")
        elif kind == 1:
            items.append(f"• {rng.randint(2, 12)} new political prisoners in Belarus\n\n    We assess the persecution "
                         f"of {names(rng, rng.randint(2, 6))} as politically motivated and recognize them as political "
                         "prisoners. //")
        elif kind == 2:
            items.append(f"• HRDs call for retrials in cases of political prisoners {names(rng, 3)}\n\n    Experts of "
                         "the Human Rights Center “Viasna” believe the trials were unfair. //")
        else:
            items.append("• The report has been sent to the UN Special Procedures\n\n    The BHC drew the attention "
                         f"of the Special Rapporteur on the situation of human rights in Belarus to the conviction of "
                         f"{person(rng)} under Part {rng.randint(1, 3)} of Art. {rng.choice([130, 342, 361, 368])} "
                         "of the Criminal Code. //")
    return "\n  ".join(items) + "\n  • Pages\n"


def statement_page(rng: random.Random) -> str:
    day = rng.randint(1, 28)
    signatories = rng.sample(ORGS, 3)
    return (f"Human rights organizations demand rehabilitation of former political prisoners\n\n"
            f"2023 2023-05-{day:02d}T10:00:00+0300 2023-05-{day:02d}T10:05:00+0300 en The Human Rights Center "
            "“Viasna” The Human Rights Center “Viasna”\nThe Human Rights Center “Viasna”\n\n"
            f"Joint statement by the Belarusian human rights community\n\nMay {day}, 2023\n\n"
            "We know the names of the following people:\n\n"
            f"{', '.join(person(rng) for _ in range(rng.randint(3, 12)))}.\n\n"
            "With regard to the listed former political prisoners, we demand a review of their criminal cases, "
            "ensure their full rehabilitation and compensation for the damage caused.\n\n"
            + ";\n\n".join(signatories) + ".\n\nLatest news\n")


def tag_listing(rng: random.Random) -> str:
    p = person(rng)
    return ("joint statement\n\nWe demand to investigate the death in custody\n\n\nStatement by the human rights "
            f"community of Belarus\n\nOn March 3, 2024, it was reported that political prisoner {p} died in Penal "
            f"Colony No. {rng.randint(1, 22)}, {rng.choice(CITIES)} town. He was convicted under Article "
            f"{rng.choice([130, 342, 368])} of the Criminal Code of the Republic of Belarus.\n\n\n"
            f"Immediately release {person(rng)}!\n\n\nJoint statement of human rights organizations of Belarus\n\n"
            f"Minsk - July 10, 2020\n\nOn July 8, the Saviecki District Court of Minsk ruled to sentence {person(rng)} "
            "to 15 days of administrative detention under Art 23.34 of the Code of Administrative Offenses.\n\n\n"
            "Subscribe to RSS - joint statement\n")


def generate(folder: Path, n: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    makers = [listing, statement_page, tag_listing]
    paths = []
    for i in range(n):
        path = folder / f"{i:04d}_bench.txt"
        path.write_text(makers[i % 3](rng), encoding="utf-8")
        paths.append(path)
    return paths


ROOT = Path(__file__).resolve().parents[1]


def long_page(size: int, seed: int = 3) -> str:
    """One page of `size` characters or more: listings and tag listings one after another."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        parts.append(rng.choice([listing, tag_listing])(rng))
        total += len(parts[-1]) + 1
    return "\n".join(parts)


def one_long_page(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in ("data", "ontology", "shapes", "queries"):
            shutil.copytree(ROOT / part, root / part)
        page = root / "page.txt"
        page.write_text(long_page(size), encoding="utf-8")
        for fraction in (8, 2, 1):  # linear: each figure about twice the one before
            part = root / f"page-{fraction}.txt"
            text = page.read_text(encoding="utf-8")
            part.write_text(text[: len(text) // fraction], encoding="utf-8")
            t0, c0 = time.perf_counter(), time.process_time()
            result = ingest_files([part])
            print(f"one page of {part.stat().st_size / 1e6:.2f} MB: ingest {time.perf_counter() - t0:.1f} s "
                  f"(CPU {time.process_time() - c0:.1f} s; {len(result.records)} records)", flush=True)
        t0, c0 = time.perf_counter(), _children_cpu()
        done = subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "ingest", str(page),
                               "--format", "nt", "--out", str(root / "out.nt")], capture_output=True, text=True)
        print(f"one page of {page.stat().st_size / 1e6:.2f} MB: `hrgraph ingest --format nt` end to end "
              f"{time.perf_counter() - t0:.1f} s (CPU {_children_cpu() - c0:.1f} s; exit {done.returncode}; "
              "restriction and SHACL gate included)")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    if "--page" in argv:
        i = argv.index("--page")
        size = int(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    else:
        size = 1 << 20
    one_long_page(size)
    n = int(argv[0]) if argv else 1000
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), n)
        t0 = time.perf_counter()
        result = ingest_files(paths)
        elapsed = time.perf_counter() - t0
    kinds: dict[str, int] = {}
    for r in result.records:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    print(f"{n} documents in {elapsed:.1f} s: {n / elapsed:.0f} documents/s ({len(result.records)} records: "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())) + f"); problems: {len(result.problems)}")
    return 0 if elapsed < 60 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
