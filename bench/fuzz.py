"""Fuzz, long form: the properties of tests/web/test_fuzz.py with many more examples (default 5000 each).

    .venv/bin/python bench/fuzz.py [EXAMPLES]

Builds the project into a temporary folder and serves it (the tests' fixtures), then reports the cases
tried per area; exit status is pytest's (0: zero 5xx, zero crashes, every 4xx with a message).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "5000"
    env = {**os.environ, "HRGRAPH_FUZZ_EXAMPLES": examples}
    tests = ROOT / "tests" / "web" / "test_fuzz.py"
    cmd = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", str(tests)]
    return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
