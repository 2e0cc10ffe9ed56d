"""One test per extraction pattern and per trap, each asserting the exact facts produced (names and texts
invented for these tests), and the dev-set and held-out scores the issue asks for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from claim_facts import facts, page_facts, persons

from hrgraph.pipeline.ingest import ingest_files
from hrgraph.pipeline.ingest.evaluate import score_pages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEVSET, HELDOUT = FIXTURES / "devset", [FIXTURES / f"heldout{n}" for n in ("", *"23456789")]


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


def test_a_recognition_the_page_reports_in_the_past_tense_is_one(tmp_path):
    """The lead's ruling: Viasna's most common way of stating a recognition."""
    assert facts(tmp_path, "Case\n\nThe Belarusian human rights community recognised Zmitser Vaitsiuk as a "
                           "political prisoner in November 2023.\n") == {("recognition", "Zmitser Vaitsiuk", "current")}
    assert facts(tmp_path, "Case\n\nBoth historians, Ihnat Lappo and Ulyana Rak, were recognised as political "
                           "prisoners by Viasna last autumn.\n", "q.txt") == {
        ("recognition", "Ihnat Lappo", "current"), ("recognition", "Ulyana Rak", "current")}


@pytest.mark.parametrize("text", [
    "The Observatory recalls that Mr. Aliaksei Bury was already recognised as a political prisoner in 2011.",
    "Aliaksei Bury and Ivan Zhuk had not been recognised as political prisoners: their cases involved violence.",
    "UN experts consider Aliaksei Bury a political prisoner.",
])
def test_a_recollection_a_denial_or_someone_elses_view_is_no_recognition(tmp_path, text):
    assert not {f for f in facts(tmp_path, f"Case\n\n{text}\n") if f[0] == "recognition"}


def test_a_recognised_persons_release_makes_them_former(tmp_path):
    assert facts(tmp_path, "News\n\nViasna recognised Aliaksei Hrom as a political prisoner in 2021. Aliaksei Hrom "
                           "was released on 3 May after serving his sentence.\n") == {
        ("recognition", "Aliaksei Hrom", "former")}
    assert facts(tmp_path, "News\n\nViasna recognised Aliaksei Hrom as a political prisoner. His wife Nina Hrom was "
                           "released after questioning.\n", "q.txt") == {("recognition", "Aliaksei Hrom", "current")}


def test_among_those_recognised_and_a_shared_surname(tmp_path):
    got = facts(tmp_path, "Results of May\n\nHuman rights defenders recognised 12 people as political prisoners. "
                          "Among those recognised in May are Kiryl Sych, a driver from Lida sentenced to 2 years of "
                          "imprisonment under Article 342; and Iryna and Pavel Lahun, both charged under Article "
                          "361-2.\n")
    assert got == {("recognition", p, "current") for p in ("Kiryl Sych", "Iryna Lahun", "Pavel Lahun")} | {
        ("charge", "Kiryl Sych", "342"), ("charge", "Iryna Lahun", "361-2"), ("charge", "Pavel Lahun", "361-2")}


# --- courts and sentences ----------------------------------------------------------------------------------

def charge_details(tmp_path: Path, text: str) -> set[tuple[str, str, str | None, str | None]]:
    (tmp_path / "d.txt").write_text(text, encoding="utf-8")
    records = ingest_files([tmp_path / "d.txt"]).records
    label = {r.key: r.label for r in records}
    return {(label[r.fields["person"]], label[r.fields["provision"]].rsplit(" ", 1)[-1],
             label.get(r.fields.get("court")), r.fields.get("sentence"))
            for r in records if r.fields.get("type") == "charge"}


def test_a_verdict_in_one_sentence_and_its_articles_in_the_next(tmp_path):
    """The lead's case: the sentence and the court belong to the charges the next sentence cites."""
    assert charge_details(tmp_path, "Verdict\n\nOn March 12, the Homel Regional Court sentenced journalist Anton "
                                    "Sheleh to four years in a medium-security penal colony. He was found guilty under "
                                    "Part 1 of Article 361-1 and Article 130 of the Criminal Code. Also this week, the "
                                    "Minsk City Court convicted activist Yury Kaval under Article 342; he received "
                                    "three years of imprisonment.\n") == {
        ("Anton Sheleh", n, "Homel Regional Court", "four years in a medium-security penal colony")
        for n in ("361-1", "130")} | {("Yury Kaval", "342", "Minsk City Court", "three years of imprisonment")}


def test_sentences_respectively_and_the_same_article(tmp_path):
    assert charge_details(tmp_path, "Verdict\n\nIvan Lis and Maryia Kot were given two and a half and two years "
                                    "of imprisonment respectively under Part 1 of Article 342. Kanstantsin Bely "
                                    "received three years of restricted freedom under the same article.\n") == {
        ("Ivan Lis", "342", None, "two and a half years of imprisonment"),
        ("Maryia Kot", "342", None, "two years of imprisonment"),
        ("Kanstantsin Bely", "342", None, "three years of restricted freedom")}


@pytest.mark.parametrize("text", [
    "Ivan Lis, Ales Hrom and Maryia Kot were sentenced to terms from 12 to 16 years under Article 289.",
    "Ivan Lis and Maryia Kot were sentenced to five, four and three years respectively under Article 289.",
    "Ivan Lis was charged under Article 289. The prosecutor asked for six years of imprisonment.",
])
def test_a_range_a_miscounted_respectively_or_a_request_is_no_sentence(tmp_path, text):
    assert {d[3] for d in charge_details(tmp_path, f"Verdict\n\n{text}\n")} == {None}


def test_the_same_court_and_honorifics(tmp_path):
    assert charge_details(tmp_path, "Verdict\n\nOn 28 March the Leninsky District Court of Brest found Mr. Ivan "
                                    "Zhuk guilty of \"facilitating extremist activities\" (Part 1 of Article 361-4). "
                                    "On the same day, the same court sentenced his colleague Ms. Alena Kot to three "
                                    "years in prison under Part 4 of Article 228.\n") == {
        ("Ivan Zhuk", "361-4", "Leninsky District Court of Brest", None),
        ("Alena Kot", "228", "Leninsky District Court of Brest", "three years in prison")}


# --- more patterns -----------------------------------------------------------------------------------------

def test_custody_coordination_together_with_and_several_appositions(tmp_path):
    got = facts(tmp_path, "News\n\nZianon Bryl has been held in pre-trial detention since 14 November. Vera Lis, "
                          "born in 1992, is a journalist. On 3 March, she was summoned for questioning and "
                          "subsequently detained. Ihar Sych, 46, a carpenter from Kalinkavichy, was detained on 2 May "
                          "together with the publisher Yuras Kavalou.\n")
    assert got == {("detention", p, None) for p in ("Zianon Bryl", "Vera Lis", "Ihar Sych", "Yuras Kavalou")}


def test_an_active_verb_charges_its_object_never_the_judge(tmp_path):
    """A trap the old rules fell into: "Judge X sentenced Y" charged the judge."""
    assert facts(tmp_path, "Verdict\n\nJudge Ivan Petrou, who heard the case, sentenced Ales Bialou to 3 years under "
                           "Article 342.\n") == {("charge", "Ales Bialou", "342")}


def test_another_person_between_the_verb_and_the_articles(tmp_path):
    assert facts(tmp_path, "Pardon\n\nAmong the pardoned are Aliaksandra Zhyd, convicted in 2022 under Article 342, "
                           "and Pavel Sianko, who had served half of his five-year sentence under Article 361-3. Two "
                           "others, Vadzim Luh and Ihar Kalina, had not been recognised as political prisoners: their "
                           "convictions under Article 339 involved violence.\n") == {
        ("charge", "Aliaksandra Zhyd", "342"), ("charge", "Pavel Sianko", "361-3"), ("charge", "Vadzim Luh", "339"),
        ("charge", "Ihar Kalina", "339")}


def test_names_in_brackets_are_the_same_person_in_another_spelling(tmp_path):
    (tmp_path / "p.txt").write_text(
        "Verdict\n\nThe Hrodna Regional Court sentenced historians Uładzimir Škłarevič (Уладзімір Шклярэвіч) and "
        "Mikola Dubrouski (Mikałaj Dubroŭski) to four and three years of imprisonment respectively. Both were found "
        "guilty under Article 130-1. The court also heard 17-year-old Lizaveta Honchar as a witness.\n",
        encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert persons(records) == {"Uładzimir Škłarevič", "Mikola Dubrouski", "Lizaveta Honchar"}
    assert page_facts(records) == {("charge", "Uładzimir Škłarevič", "130-1"), ("charge", "Mikola Dubrouski", "130-1")}


def test_a_cyrillic_look_alike_letter_inside_a_latin_name(tmp_path):
    (tmp_path / "p.txt").write_text("Verdict\n\nThe court sentenced \u0410les Bialou (Алесь Бялоў) to 3 years under "
                                    "Article 342.\n", encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert persons(records) == {"Ales Bialou"} and page_facts(records) == {("charge", "Ales Bialou", "342")}


def test_the_following_political_prisoners_above_a_numbered_list(tmp_path):
    got = facts(tmp_path, "Appeal\n\nWe call on the authorities to immediately release the following political "
                          "prisoners, convicted by the Vitsebsk Regional Court on 4 June:\n\n1. Andrei Kisel — Part 3 "
                          "of Art. 289 — 8 years\n2. Darya Kulik — Art. 361-4 — 5 years\n")
    people = ("Andrei Kisel", "Darya Kulik")
    assert got == {("recognition", p, "current") for p in people} | {("demand", "release", p) for p in people} | {
        ("charge", "Andrei Kisel", "289"), ("charge", "Darya Kulik", "361-4")}


def test_the_political_prisoners_are_those_the_item_recognised_and_harassment(tmp_path):
    got = facts(tmp_path, "Statement\n\nWe consider Anzhalika Tsitova and Valer Hrytsuk to be political prisoners. "
                          "We demand the immediate release of the political prisoners and an end to all acts of "
                          "harassment against them.\n")
    people = ("Anzhalika Tsitova", "Valer Hrytsuk")
    assert got == {("recognition", p, "current") for p in people} | {("demand", "release", p) for p in people} | {
        ("demand", "cessation-of-persecution", p) for p in people}


def test_a_pipe_table_and_the_persons_listed_above(tmp_path):
    got = facts(tmp_path, "New political prisoners\n\n| # | Name | Article(s) | Detained |\n|---|---|---|---|\n"
                          "| 1 | Yauheni Shum | Part 2 of Art. 293; Art. 342 | 02.06.2024 |\n"
                          "| 2 | Ilya Kasper | 361-1 (Part 1), 361-4 | 31.05.2024 |\n\nThe persons listed above are "
                          "recognised as political prisoners by Viasna.\n")
    assert got == {("charge", "Yauheni Shum", "293"), ("charge", "Yauheni Shum", "342"),
                   ("charge", "Ilya Kasper", "361-1"), ("charge", "Ilya Kasper", "361-4")} | {
        (k, p, s) for p in ("Yauheni Shum", "Ilya Kasper")
        for k, s in (("detention", None), ("recognition", "current"))}


def test_an_html_table_with_a_header_row(tmp_path):
    html = ("<html><body><h1>Sentences of the week</h1><table><tr><th>Name</th><th>Article</th><th>Sentence</th></tr>"
            "<tr><td>Kanstantsin Lysy</td><td>342</td><td>2 years of imprisonment</td></tr>"
            "<tr><td>Hleb Kazei</td><td>361-1, 361-4</td><td>6 years of imprisonment</td></tr></table></body></html>")
    (tmp_path / "t.html").write_text(html, encoding="utf-8")
    records = ingest_files([tmp_path / "t.html"]).records
    label = {r.key: r.label for r in records}
    assert {(label[r.fields["person"]], label[r.fields["provision"]].rsplit(" ", 1)[-1], r.fields.get("sentence"))
            for r in records if r.fields.get("type") == "charge"} == {
        ("Kanstantsin Lysy", "342", "2 years of imprisonment"), ("Hleb Kazei", "361-1", "6 years of imprisonment"),
        ("Hleb Kazei", "361-4", "6 years of imprisonment")}


def test_several_who_what_summaries(tmp_path):
    got = facts(tmp_path, "URGENT CASES\n\nWHO: Palina Sharenda, 38, volunteer\nWHAT: detained by the KGB in Minsk; "
                          "suspected under Article 361-2\nWHEN: 8 July 2024\n\nWHO: Taras Khilko, 29, IT specialist\n"
                          "WHAT: convicted under Part 1 of Article 342; 3 years of imprisonment\nCOURT: Pershamaiski "
                          "District Court of Vitsebsk\nSTATUS: recognised as a political prisoner on 12 July\n")
    assert got == {("detention", "Palina Sharenda", None), ("charge", "Palina Sharenda", "361-2"),
                   ("charge", "Taras Khilko", "342"), ("recognition", "Taras Khilko", "current")}


# --- round 5: what its first run missed or got wrong --------------------------------------------------------

def test_an_institution_or_a_patronymic_is_no_persons_name(tmp_path):
    (tmp_path / "p.txt").write_text("Lawyers\n\nLawyer Vital Stas (b. 1966) was detained by the Department of "
                                    "Financial Investigations. Verdict for SIDARENKA Alena Mikalaeuna.\n",
                                    encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert persons(records) == {"Vital Stas", "Alena Sidarenka"}
    assert page_facts(records) == {("detention", "Vital Stas", None)}


def test_detained_as_an_adjective_and_a_negated_detention(tmp_path):
    assert facts(tmp_path, "Picket\n\nIryna Kasko, the mother of detained student Zakhar Kasko, was fined for a "
                           "picket. She was not detained. Zakhar Kasko has been in custody since January.\n") == {
        ("detention", "Zakhar Kasko", None)}


def test_a_demand_in_a_quotation_or_reported_speech_is_not_the_pages(tmp_path):
    assert facts(tmp_path, "Release\n\n\"Human rights defenders should be free,\" the Director said, calling on the "
                           "authorities to release Nasta Lauryn.\n") == set()


def test_the_pages_own_predicate_is_political_prisoners(tmp_path):
    got = facts(tmp_path, "Verdicts\n\nThe following verdicts were reported:\n\n- KAVALIOU Ruslan Ivanavich "
                          "(b. 1987) — Art. 342, Part 1 — 2 years 6 months of imprisonment, Lida District Court;\n"
                          "- PALCHEUSKI Yauhen Viktaravich (b. 1979) — Arts. 361-1, 361-4 — 6 years of imprisonment.\n"
                          "\nBoth are political prisoners. Ivan Kot is not a political prisoner. Political prisoner "
                          "Ales Bely was moved to a punishment cell.\n")
    assert got == {("charge", "Ruslan Kavaliou", "342"), ("charge", "Yauhen Palcheuski", "361-1"),
                   ("charge", "Yauhen Palcheuski", "361-4"), ("recognition", "Ruslan Kavaliou", "current"),
                   ("recognition", "Yauhen Palcheuski", "current")}


def test_a_timeline_of_lines_without_their_subject(tmp_path):
    got = facts(tmp_path, "The case of Andrei Such: a timeline\n\nAndrei Such, a teacher from Polatsk, has spent two "
                          "years behind bars.\n\n• 14 September 2022 — detained at school.\n• 16 September 2022 — "
                          "charged under Part 1 of Article 342.\n• 10 March 2023 — recognised as a political prisoner "
                          "by the Belarusian human rights community.\n\nHis wife, Volha Such, has been denied "
                          "visits.\n")
    assert got == {("detention", "Andrei Such", None), ("charge", "Andrei Such", "342"),
                   ("recognition", "Andrei Such", "current")}


def test_a_given_name_alone_questions_and_a_surname_the_family_shares(tmp_path):
    got = facts(tmp_path, "Who is Yulia Barys?\n\nYulia Barys is a photographer.\n\nWhy was she arrested?\n"
                          "Yulia was arrested on 11 January 2024.\n\nWhat is she charged with?\nShe is accused under "
                          "Article 130. She faces up to seven years in prison.\n")
    assert got == {("detention", "Yulia Barys", None), ("charge", "Yulia Barys", "130")}
    got = facts(tmp_path, "In memoriam: Mikhas Khadas\n\nMikhas Khadas died on 2 August. In 2021 the Vitsebsk "
                          "Regional Court sentenced Khadas to three years under Article 342. We express our "
                          "condolences to his wife, Halina Khadas.\n", "q.txt")
    assert got == {("death", "Mikhas Khadas", None), ("charge", "Mikhas Khadas", "342")}


# --- round 6: what its first run missed or got wrong --------------------------------------------------------

def test_brothers_and_a_clause_that_leaves_its_verb_out(tmp_path):
    (tmp_path / "p.txt").write_text("Slonim\n\nBrothers Ivan and Piotr Lis were detained on 14 May. Ivan was charged "
                                    "under Article 342, Piotr under Article 369.\n", encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    assert persons(records) == {"Ivan Lis", "Piotr Lis"}
    assert page_facts(records) == {("detention", "Ivan Lis", None), ("detention", "Piotr Lis", None),
                                   ("charge", "Ivan Lis", "342"), ("charge", "Piotr Lis", "369")}


def test_name_age_town_list_items_and_wanted_abroad(tmp_path):
    assert charge_details(tmp_path, "Sentences\n\n• Ihar Darosh (45), Barysau: 2 years of imprisonment under Art. "
                                    "342.\n• Uladzimir Kalen (60), Rechytsa: 3 years of imprisonment for \"insulting "
                                    "the president\" (Art. 368) and \"discrediting Belarus\" (Art. 369-1).\n") == {
        ("Ihar Darosh", "342", None, "2 years of imprisonment"), ("Uladzimir Kalen", "368", None,
                                                                   "3 years of imprisonment"),
        ("Uladzimir Kalen", "369-1", None, "3 years of imprisonment")}
    assert facts(tmp_path, "Abroad\n\nActivist Zmitser Kaly was detained in Hanoi. In Belarus, he is wanted under "
                           "Part 1 of Article 342.\n", "q.txt") == {("detention", "Zmitser Kaly", None),
                                                                    ("charge", "Zmitser Kaly", "342")}


def test_a_live_blog_verdict_and_both_taken_back(tmp_path):
    got = facts(tmp_path, "Live\n\n10:15. Teacher Maryna Hleb is found guilty under Article 342 and sentenced to "
                          "three years of restricted freedom.\n\n10:21. Her colleague Stsiapan Voran is found guilty "
                          "under Article 130; he gets four years in a general-regime colony.\n\n10:30. Both are taken "
                          "back to the pre-trial detention centre.\n")
    assert got == {("charge", "Maryna Hleb", "342"), ("charge", "Stsiapan Voran", "130"),
                   ("detention", "Maryna Hleb", None), ("detention", "Stsiapan Voran", None)}


def test_among_the_new_names_and_signatories_ending_in_semicolons(tmp_path):
    (tmp_path / "p.txt").write_text(
        "Weekly review\n\nThe number of political prisoners rose to 1,412. Among the new names is Arkadz Luk, a "
        "welder, who was sentenced to two years under Article 342.\n\nWe demand his release.\n\n"
        "Belarusian Helsinki Committee;\nHuman Constanta;\nLegal Initiative.\n", encoding="utf-8")
    result = ingest_files([tmp_path / "p.txt"])
    assert page_facts(result.records) == {("recognition", "Arkadz Luk", "current"), ("charge", "Arkadz Luk", "342"),
                                          ("demand", "release", "Arkadz Luk")}
    assert signatories(result.records) == {"Belarusian Helsinki Committee", "Human Constanta", "Legal Initiative"}
    assert not result.documents[0].truncated


def signatories(records) -> set[str]:
    label = {r.key: r.label for r in records}
    return {label[o] for r in records if r.fields.get("type") == "signature" for o in r.fields["signatories"]}


def test_who_recognises_is_the_organisation_the_clause_names_or_the_signatories(tmp_path):
    (tmp_path / "p.txt").write_text(
        "Case\n\nThe Belarusian human rights community recognised Zmitser Vaitsiuk as a political prisoner. Ihnat "
        "Lappo was recognised as a political prisoner by the Belarusian Helsinki Committee.\n\nWe recognise Ulyana "
        "Rakava as a political prisoner.\n\nHuman Constanta;\nLegal Initiative.\n", encoding="utf-8")
    records = ingest_files([tmp_path / "p.txt"]).records
    label = {r.key: r.label for r in records}
    assert {(label[r.fields["person"]], tuple(sorted(label[o] for o in r.fields["recognised_by"])))
            for r in records if r.fields.get("type") == "recognition"} == {
        ("Zmitser Vaitsiuk", ("Belarusian human rights community",)),
        ("Ihnat Lappo", ("Belarusian Helsinki Committee",)), ("Ulyana Rakava", ("Human Constanta", "Legal Initiative"))}


# --- round 7: classes its first run showed (fixed after that figure was kept) --------------------------------

def test_an_appeal_court_an_acquittal_and_a_possessive_sentence(tmp_path):
    assert charge_details(tmp_path, "Appeal\n\nOn 21 May, the Minsk City Court rejected the appeal of Pavel "
                                    "Dziam and upheld his sentence: five years of imprisonment under Part 1 of Article "
                                    "361-1. He was sentenced in March by the Frunzenski District Court of Minsk. The "
                                    "same day, the Minsk Regional Court acquitted Lizaveta Kruk of charges under "
                                    "Article 369.\n") == {
        ("Pavel Dziam", "361-1", "Frunzenski District Court of Minsk", "five years of imprisonment"),
        ("Lizaveta Kruk", "369", "Minsk Regional Court", None)}


def test_the_following_miners_and_numbered_demands(tmp_path):
    got = facts(tmp_path, "Salihorsk\n\nThe following miners were detained after a protest:\n\n• Mikalai Tsimash, 41, "
                          "electrician;\n• Kiryl Stank, 27, fitter.\n\nWe demand:\n1) an independent investigation "
                          "into the death of Ryhor Strel;\n2) the release of all political prisoners;\n3) an end to "
                          "persecuting the miners' union.\n")
    assert got == {("detention", "Mikalai Tsimash", None), ("detention", "Kiryl Stank", None),
                   ("death", "Ryhor Strel", None), ("demand", "investigation", "Ryhor Strel"),
                   ("demand", "release", None), ("demand", "cessation-of-persecution", None)}


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


@pytest.mark.parametrize("folder", [DEVSET, *HELDOUT], ids=lambda f: f.name)
def test_cut_and_foreign_pages_are_flagged_as_the_gold_says(folder):
    """`truncated: true` and `language: other` of every gold page, and no other page flagged."""
    gold = yaml.safe_load((folder / "gold.yaml").read_text(encoding="utf-8"))["pages"]
    docs = {d.file: d for d in ingest_files(sorted(folder / name for name in gold)).documents}
    assert {f: (bool(d.truncated), bool(d.language)) for f, d in docs.items()} == {
        f: (bool((g or {}).get("truncated")), (g or {}).get("language") == "other") for f, g in gold.items()}
