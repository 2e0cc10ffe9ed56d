"""Page layouts the readers tell apart, with the exact records they lead to: signatory lines, pages cut off,
titles with a colon, lists and field lines that are no headings, and a court that is no place."""

from __future__ import annotations

from pathlib import Path

from hrgraph.pipeline.ingest import ingest_files
from hrgraph.pipeline.ingest.readers import read_file


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / name


def signatories(path: Path) -> set[str]:
    records = ingest_files([path]).records
    label = {r.key: r.label for r in records}
    return {label[o] for r in records if r.fields.get("type") == "signature" for o in r.fields["signatories"]}


def test_signatories_on_one_line_end_no_sentence(tmp_path):
    """The lead's probe: a last line of signatories without a full stop is no cut-off page."""
    page = write(tmp_path, "s.html", "<html><body><h1>Statement on the death of Ivan Kot</h1><p>We learned that "
                 "political prisoner Ivan Kot died in penal colony No. 3 on 30 January.</p><p>Signed: Human Rights "
                 "Center \"Viasna\"; Belarusian Helsinki Committee; PEN Belarus</p><footer>© 2024</footer></body>"
                 "</html>")
    doc = read_file(page)
    assert not doc.truncated and [s.text for s in doc.signatories] == [
        'Human Rights Center "Viasna"', "Belarusian Helsinki Committee", "PEN Belarus"]
    assert signatories(page) == {"Human Rights Center “Viasna”", "Belarusian Helsinki Committee", "PEN Belarus"}


def test_the_undersigned_organisations_below_a_numbered_list(tmp_path):
    page = write(tmp_path, "u.txt", "Appeal: free them\n\nWe call for the release of the following political "
                 "prisoners:\n\n1. Andrei Kisel — Art. 289 — 8 years\n2. Darya Kulik — Art. 361-4 — 5 years\n\n"
                 "The undersigned organisations:\nBelarusian Helsinki Committee\nHuman Constanta\n")
    doc = read_file(page)
    assert doc.layout == "article" and len(doc.items) == 1 and doc.title == "Appeal: free them"
    assert signatories(page) == {"Belarusian Helsinki Committee", "Human Constanta"}


def test_an_html_page_cut_before_its_closing_tags_is_truncated_and_a_cut_article_is_none(tmp_path):
    page = write(tmp_path, "c.html", "<html><head><title>Profile: Ihar Sych</title></head><body><h1>Ihar Sych</h1>"
                 "<p>Ihar Sych was detained on 2 May 2024.</p><table><tr><th>Born</th><td>1978</td></tr>"
                 "<tr><th>Status</th><td>Political prisoner</td>"
                 "</tr><tr><th>Other charges</th><td>Part 1 of Art. 36")
    result = ingest_files([page])
    assert any("truncated" in p.message and "c.html" in p.record for p in result.problems)
    assert not [r for r in result.records if r.kind == "provisions"]
    kinds = {(r.fields.get("type") or r.fields.get("kind")) for r in result.records if r.kind in ("claims", "events")}
    assert kinds == {"detention", "recognition"}


def test_a_title_with_a_colon_stays_the_headline(tmp_path):
    doc = read_file(write(tmp_path, "t.html", "<html><head><title>Joint statement: stop it</title></head><body>"
                          "<h1>Joint statement: stop it</h1><p>September 9, 2023</p><p>We recognize Ivan Kot as a "
                          "political prisoner.</p></body></html>"))
    assert doc.items[0].headline is not None and doc.items[0].headline.text == "Joint statement: stop it"


def test_a_court_is_an_organisation_not_a_place(tmp_path):
    records = ingest_files([write(tmp_path, "k.txt", "Verdict\n\nThe Minsk City Court sentenced Ivan Kot under "
                                  "Article 342.\n")]).records
    assert {r.label for r in records if r.kind == "places"} == {"Minsk", "Belarus"}  # the town and its country
    assert {r.label for r in records if r.kind == "organisations"} >= {"Minsk City Court"}
