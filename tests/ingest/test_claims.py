"""One test per extraction pattern and per trap, each asserting the exact facts produced (names and texts
invented for these tests), and the dev-set and held-out scores the issue asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hrgraph.pipeline.ingest import ingest_files
from hrgraph.pipeline.ingest.evaluate import score_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEVSET, HELDOUT = FIXTURES / "devset", [FIXTURES / f"heldout{n}" for n in ("", "2", "3")]


def facts(tmp_path: Path, text: str, name: str = "page.txt") -> set[tuple[str | None, ...]]:
    """What a page states, as (kind, who, what) tuples with labels instead of keys."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    return page_facts(ingest_files([tmp_path / name]).records)


def page_facts(records) -> set[tuple[str | None, ...]]:
    label = {r.key: r.label for r in records}
    out: set[tuple[str | None, ...]] = set()
    for r in records:
        f = r.fields
        if f.get("type") == "charge":
            out.add(("charge", label[f["person"]], label[f["provision"]].rsplit(" ", 1)[-1]))
        elif f.get("type") == "recognition":
            out.add(("recognition", label[f["person"]], f["status"]))
        elif f.get("type") == "submission":
            out |= {("submission", label[b], label[t]) for b in f["submitted_by"] for t in f["addressed_to"]}
        elif f.get("type") == "demand":
            out |= {("demand", f["demand_type"], label[p]) for p in f["persons"]} or {("demand", f["demand_type"],
                                                                                         None)}
        elif r.kind == "events":
            out |= {(str(f["kind"]).replace("-in-custody", ""), label[p], None) for p in f["persons"]}
    return out


def persons(records) -> set[str]:
    return {r.label for r in records if r.kind == "persons"}


# --- patterns ----------------------------------------------------------------------------------------------

def test_subject_of_a_passive_clause_with_an_apposition(tmp_path):
    assert facts(tmp_path, "Verdict\n\nMaryna Dzenisava, a librarian from Slonim, was convicted under Article 342 "
                           "of the Criminal Code. Her neighbour Ales Hurski testified.\n") == {
        ("charge", "Maryna Dzenisava", "342")}


def test_court_as_subject_sentence_in_words_and_the_court(tmp_path):
    (tmp_path / "p.txt").write_text("Verdict\n\nOn 2 May the Pinsk District Court sentenced blogger Yanka Sukhy to "
                                    "two and a half years of imprisonment under Article 368.\n", encoding="utf-8")
    charge = next(r for r in ingest_files([tmp_path / "p.txt"]).records if r.fields.get("type") == "charge")
    assert charge.fields["sentence"] == "two and a half years of imprisonment"
    assert charge.fields["court"] == "pinsk-district-court" and charge.fields["stage"] == "convicted"


@pytest.mark.parametrize(("cited", "numbers"), [
    ("Articles 290-1, 361-2", {"290-1", "361-2"}),
    ("Part 4 of Article 228, and Part 2 of Article 342", {"228", "342"}),
    ("Art. 368 and 361-4", {"368", "361-4"}),
    ("Articles 363, 364 and 366", {"363", "364", "366"}),
])
def test_lists_of_persons_and_of_articles(tmp_path, cited, numbers):
    got = facts(tmp_path, f"Verdict\n\nAnton Shyla and Darya Prokharava were sentenced under {cited} of the "
                          "Criminal Code.\n")
    assert got == {("charge", p, n) for p in ("Anton Shyla", "Darya Prokharava") for n in numbers}


def test_verbless_list_items(tmp_path):
    got = facts(tmp_path, "• Sentences of the week\n\n    The following people were sentenced:\n\n"
                          "    • Ihar Bely, under Article 342, three years of imprisonment;\n\n"
                          "    • Zhanna Kot (Art. 361-1), 18 months of imprisonment. //\n")
    assert got == {("charge", "Ihar Bely", "342"), ("charge", "Zhanna Kot", "361-1")}


def test_profile_fields(tmp_path):
    got = facts(tmp_path, "Prisoner profile\n\nName: Rastsislau Lomaka\nDetained: 02.02.2023\nCharges: Art. 368, "
                          "Part 1 of Art. 342 of the Criminal Code\nStatus: political prisoner\n")
    assert got == {("charge", "Rastsislau Lomaka", "368"), ("charge", "Rastsislau Lomaka", "342"),
                   ("detention", "Rastsislau Lomaka", None), ("recognition", "Rastsislau Lomaka", "current")}


def test_detentions_and_suspicions(tmp_path):
    (tmp_path / "p.txt").write_text("Detained\n\nMusician Tsimafei Ruk was taken into custody on suspicion under "
                                    "Article 361-1. Security forces detained at least ten people.\n", encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert page_facts(records) == {("charge", "Tsimafei Ruk", "361-1"), ("detention", "Tsimafei Ruk", None)}
    assert next(r for r in records if r.fields.get("type") == "charge").fields["stage"] == "suspected"


def test_pronoun_refers_to_the_subject_before_and_not_to_the_wrong_gender(tmp_path):
    assert facts(tmp_path, "News\n\nAlena Zhuk was detained in Lida. She was later charged under Article 130.\n") == {
        ("detention", "Alena Zhuk", None), ("charge", "Alena Zhuk", "130")}
    assert facts(tmp_path, "News\n\nAlena Zhuk was detained in Lida. He was later charged under Article 130.\n",
                 "q.txt") == {("detention", "Alena Zhuk", None)}  # "he" is not Alena: abstain


def test_recognition_status_and_criterion(tmp_path):
    (tmp_path / "p.txt").write_text(
        "• New political prisoners\n\n    We recognize Ihar Tsiareshka and Volha Sapega as political prisoners in "
        "accordance with paragraph 3.1 (a) of the Guidelines on the Definition of Political Prisoners. //\n"
        "  • Former political prisoners\n\n    We recognize Stsiapan Bulyha as a former political prisoner. //\n"
        "  • In memory\n\n    Ales Hrodzen died in Penal Colony No. 9, Horki. We recognize Ales Hrodzen as a "
        "political prisoner. //\n", encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert {f for f in page_facts(records) if f[0] == "recognition"} == {
        ("recognition", "Ihar Tsiareshka", "current"), ("recognition", "Volha Sapega", "current"),
        ("recognition", "Stsiapan Bulyha", "former"), ("recognition", "Ales Hrodzen", "deceased")}
    criteria = {r.fields["criterion"] for r in records if r.fields.get("type") == "recognition"}
    assert criteria == {"3.1-a", "not-stated"}


def test_submission_only_where_an_organisation_addresses_a_mechanism(tmp_path):
    got = facts(tmp_path, "Appeal\n\nThe Belarusian Helsinki Committee sent a report to the UN Committee against "
                          "Torture. The UN Special Rapporteur on the situation of human rights in Belarus sent a "
                          "communication to the Government.\n")
    assert got == {("submission", "Belarusian Helsinki Committee", "UN Committee against Torture")}


def test_names_beyond_the_lexicon(tmp_path):
    (tmp_path / "p.txt").write_text(
        "Names\n\nJournalist Elnura Gasimova was detained in Baku. Lawyer U. Kavalchuk was charged under Article "
        "361-1. Prisoner card: SHPAK Yazep Antonavich. Активіст Зміцер Ваўчок (Zmitser Vauchok) was arrested.\n",
        encoding="utf-8")
    assert persons(ingest_files([tmp_path / "p.txt"]).records) == {
        "Elnura Gasimova", "U. Kavalchuk", "Yazep Shpak", "Zmitser Vauchok"}


def test_namesakes_of_two_documents_are_not_merged_on_the_name_alone():
    result = ingest_files([DEVSET / "31_namesake_a.txt", DEVSET / "32_namesake_b.txt"])
    assert sorted(r.key for r in result.records if r.kind == "persons") == ["ivan-petrash", "ivan-petrash-2"]


# --- bad input ---------------------------------------------------------------------------------------------

def test_truncated_page_is_flagged_and_a_cut_name_is_no_person():
    result = ingest_files([DEVSET / "14_truncated.txt"])
    assert persons(result.records) == {"Dzianis Kuzmich"}
    assert any(p.rule == "ingest-layout" and "truncated" in p.message and "14_truncated.txt" in p.record
               for p in result.problems)


@pytest.mark.parametrize("page", ["12_other_language.txt", "33_german.txt"])
def test_page_in_another_language_gives_a_message_and_no_facts(page):
    result = ingest_files([DEVSET / page])
    assert [r for r in result.records if r.kind in ("claims", "events", "persons")] == []
    assert any("not in English" in p.message and page in p.record for p in result.problems)
    assert result.texts[page]  # the text is kept


def test_page_without_claims_and_html_with_scripts_and_navigation():
    result = ingest_files([DEVSET / "13_no_claims.txt", DEVSET / "08_joint_statement.html"])
    assert not [r for r in result.records if r.kind in ("claims", "events") and
                r.evidence[0].source == "13_no_claims.txt"]
    text = result.texts["08_joint_statement.html"]
    assert "Pavel Kruk" not in text and "dataLayer" not in text and "About us" not in text  # script, nav
    assert persons(result.records) == {"Zoya Alshanskaya", "Mikhas Barysevich"}


def test_evidence_quotes_are_whole_words_and_name_the_person(tmp_path):
    (tmp_path / "p.txt").write_text("News\n\nKiryl Nestsiarenka was detained in Brest. He was charged under "
                                    "Article 342.\n", encoding="utf-8")
    result = ingest_files([tmp_path / "p.txt"])
    text = result.texts["p.txt"]
    for r in (r for r in result.records if r.kind in ("claims", "events")):
        for ev in r.evidence:
            start = text.find(ev.quote)
            assert start >= 0 and not (start and text[start - 1].isalnum())
            assert not text[start + len(ev.quote):start + len(ev.quote) + 1].isalnum()
        assert any("Nestsiarenka" in ev.quote for ev in r.evidence), r.key  # a second selector names him


# --- traps -------------------------------------------------------------------------------------------------

def test_a_verb_of_death_near_a_living_persons_name(tmp_path):
    assert facts(tmp_path, "Sentenced\n\nYury Ramaniuk, whose father died last year, was sentenced under Article "
                           "411. His cellmate Pyotr Blin said another prisoner had died.\n") == {
        ("charge", "Yury Ramaniuk", "411")}


def test_political_prisoner_in_a_memorial_is_no_recognition():
    got = page_facts(ingest_files([DEVSET / "04_memorial.txt"]).records)
    assert got == {("death", "Ales Pustavoit", None), ("death", "Halina Tsvirko", None),
                   ("death", "Zmitrok Varabei", None), ("charge", "Halina Tsvirko", "369")}


def test_a_mechanism_as_actor(tmp_path):
    assert facts(tmp_path, "UN\n\nThe Working Group on Arbitrary Detention found the detention of Ihar Karp "
                           "arbitrary and requested the Government to release him. They urged the authorities to "
                           "release Ihar Karp.\n") == set()


def test_a_head_of_state_beside_died(tmp_path):
    assert facts(tmp_path, "Pardon\n\nAliaksandr Lukashenka said nobody had died in prisons. Political prisoner "
                           "Vitali Lazar died in custody two weeks after Aliaksandr Lukashenka refused to pardon "
                           "him.\n") == {("death", "Vitali Lazar", None)}


def test_a_court_from_another_sentence_is_not_the_court(tmp_path):
    (tmp_path / "p.txt").write_text("Trials\n\nThe Minsk City Court heard appeals on Monday. Katsiaryna Lis was "
                                    "convicted under Article 342.\n", encoding="utf-8")
    charge = next(r for r in ingest_files([tmp_path / "p.txt"]).records if r.fields.get("type") == "charge")
    assert "court" not in charge.fields


def test_a_past_recognition_reported_by_the_page_is_no_recognition(tmp_path):
    assert facts(tmp_path, "Case\n\nOn 20 April 2023 the Human Rights Center “Viasna” recognised Raman Sych as a "
                           "political prisoner.\n") == set()


# --- scores ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", [DEVSET, *HELDOUT], ids=lambda f: f.name)
def test_scores(folder):
    """The issue's targets on the dev set; on held-out pages (heldout3 never tuned on) the rules must still not
    guess: precision holds where recall may not."""
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))["pages"]
    result = ingest_files(sorted(folder / name for name in gold))
    scores = {s.kind: s for s in score_pages(result.records, gold)}
    assert all(s.precision >= 0.95 for s in scores.values()), [s.row() for s in scores.values()]
    if folder == DEVSET:
        assert scores["charges"].recall >= 0.85 and scores["persons"].recall >= 0.90
    assert len(gold) >= (30 if folder == DEVSET else 5)
    if folder != DEVSET:  # the honest figure: the first run, before any tuning on these pages
        assert re.search(r"charges\s+\d+\s+\d+\s+[01]\.\d\d", (folder / "FIRST_RUN.txt").read_text(encoding="utf-8"))
