"""Curated records checked by a schema: each mistyped flag, wrong type, duplicate, alias bomb, huge, binary or
empty file stops the build with exit 2, naming file, line and field, with dist/ untouched and no traceback."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from hrgraph.pipeline import schema

from conftest import REPO, copy_project

PERSON = "  - key: iryna-zlobina\n    label: Iryna Zlobina\n"  # line 11 of persons.yaml
CLAIM_FORMER = "    former: true\n"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("schema"))
    done = build(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hrgraph.cli", "--root", str(root), "build"],
                          capture_output=True, text=True, timeout=300)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def refused(root: Path, file: str, text: str) -> str:
    """Write `text` to data/curated/`file`, build, and return the message; the file is restored after."""
    path = root / "data" / "curated" / file
    old = path.read_bytes() if path.exists() else None
    before = digest(root / "dist")
    path.write_text(text, encoding="utf-8") if isinstance(text, str) else path.write_bytes(text)
    try:
        done = build(root)
    finally:
        path.write_bytes(old) if old is not None else path.unlink()
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert digest(root / "dist") == before  # nothing published
    return done.stderr


def persons_with(extra: str) -> str:
    text = (REPO / "data" / "curated" / "persons.yaml").read_text(encoding="utf-8")
    assert PERSON in text
    return text.replace(PERSON, PERSON + extra)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("extra", "field"), [
    ('    restricted: "true"\n', "restricted"),
    ("    restricted: 1\n", "restricted"),
    ("    restricted: yes please\n", "restricted"),
    ("    restricted_fields: note\n", "restricted_fields"),
    ("    restricted_fields: [nickname]\n", "restricted_fields"),
    ("    label2: Iryna\n", "label2"),
    ("    alt_labels: [{text: Ірына, lang: 7}]\n", "alt_labels"),
])
def test_a_mistyped_field_is_refused_with_file_line_and_field(site: Path, extra: str, field: str) -> None:
    text = persons_with(extra)
    message = refused(site, "persons.yaml", text)
    assert f"data/curated/persons.yaml:{line_of(text, extra)}:" in message, message
    assert f"field '{field}" in message and "iryna-zlobina" in message


def test_a_label_that_is_a_list_is_refused(site: Path) -> None:
    text = persons_with("").replace("    label: Iryna Zlobina\n", "    label: [Iryna, Zlobina]\n")
    message = refused(site, "persons.yaml", text)
    assert f"data/curated/persons.yaml:{line_of(text, '    label: [Iryna')}:" in message
    assert "field 'label'" in message


@pytest.mark.parametrize("value", ['"false"', "0", "'no'"])
def test_former_must_be_a_boolean(site: Path, value: str) -> None:
    text = (REPO / "data" / "curated" / "claims.yaml").read_text(encoding="utf-8")
    assert CLAIM_FORMER in text
    changed = text.replace(CLAIM_FORMER, f"    former: {value}\n", 1)
    message = refused(site, "claims.yaml", changed)
    assert f"data/curated/claims.yaml:{line_of(text, CLAIM_FORMER)}:" in message and "field 'former'" in message


def test_a_second_restricted_false_is_a_duplicate_key(site: Path) -> None:
    text = persons_with("    restricted: true\n    restricted: false\n")
    message = refused(site, "persons.yaml", text)
    assert f"data/curated/persons.yaml:{line_of(text, '    restricted: false')}:" in message
    assert "'restricted' is given twice" in message


def test_a_duplicated_key_in_a_record(site: Path) -> None:
    text = persons_with("    label: Ira Zlobina\n")
    message = refused(site, "persons.yaml", text)
    assert f"data/curated/persons.yaml:{line_of(text, '    label: Ira')}:" in message
    assert "'label' is given twice" in message


def test_a_second_top_level_block(site: Path) -> None:
    text = persons_with("") + "persons:\n  - key: someone-else\n    label: Someone Else\n"
    message = refused(site, "persons.yaml", text)
    assert f"data/curated/persons.yaml:{text.count(chr(10)) - 2}:" in message and "'persons' is given twice" in message


def test_an_alias_bomb_is_refused_at_its_first_anchor(site: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20))
    message = refused(site, "zz.yaml", bomb)
    assert "data/curated/zz.yaml:1:" in message and "aliases" in message


def test_a_huge_file_is_refused_quickly(site: Path) -> None:
    text = "persons:\n" + "  - key: p\n    label: P\n" * (50 * 1024 * 1024 // 24)
    message = refused(site, "zz.yaml", text)
    assert "data/curated/zz.yaml" in message and "limited to" in message


def test_a_binary_file_is_refused(site: Path) -> None:
    message = refused(site, "zz.yaml", b"persons:\n\x00\x01\x02\xff")  # type: ignore[arg-type]
    assert "data/curated/zz.yaml:2" in message and "binary" in message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_refused(site: Path, text: str) -> None:
    message = refused(site, "zz.yaml", text)
    assert "data/curated/zz.yaml:1" in message and "empty" in message


def test_every_violation_of_every_file_is_listed(site: Path) -> None:
    text = persons_with('    restricted: "true"\n    former: false\n')
    message = refused(site, "persons.yaml", text)
    assert "field 'restricted'" in message and "field 'former'" in message  # former is a claim's field


def test_the_readme_table_is_the_schema() -> None:
    readme = (REPO / "data" / "curated" / "README.md").read_text(encoding="utf-8")
    assert schema.readme_table() in readme, "run: python -m hrgraph.pipeline.schema, and paste the table"


def test_the_curated_data_conforms() -> None:
    from hrgraph.pipeline.curated import load_curated

    records, _ = load_curated(REPO / "data" / "curated", REPO)
    assert len(records) > 200
