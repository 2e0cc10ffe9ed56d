"""names/titles.py and NameIndex.lookup as search and reconciliation use them: the spellings of the issue
(Zelenkevich, Zialenkevich, Зяленкевіч, Зеленкевич), surname first, Latin and Cyrillic; organisations and
provisions by their words ("Art. 342", "ст. 342", "Вясна"); starts of words for auto-completion."""

from __future__ import annotations

import pytest

from hrgraph.names import NameIndex, TitleIndex, fold


@pytest.fixture(scope="module")
def people() -> NameIndex:
    ix = NameIndex()
    ix.add("mz", ["Mikalai Zialenkevich", "Мікалай Зяленкевіч"])
    ix.add("zk", ["Zinaida Kazak"])
    ix.add("mk", ["Mikalai Klimovich", "Nikolai Klimovich"])
    ix.add("ak", ["Anton Kazak"])
    return ix


@pytest.mark.parametrize("query", ["Zelenkevich", "Zialenkevich", "Зяленкевіч", "Зеленкевич", "ZIALENKEVICH",
                                   "Zialenkevič", "Zialiankievič"])
def test_every_spelling_of_the_surname_finds_him(people: NameIndex, query: str) -> None:
    hits = people.lookup(query)
    assert [m.entity for m in hits] == ["mz"] and hits[0].form == "surname"


@pytest.mark.parametrize("query", ["Mikalai Zialenkevich", "Zialenkevich Mikalai", "Зяленкевіч Мікалай",
                                   "Николай Зеленкевич", "Зеленкевич Николай Петрович", "Nikolai Zelenkevich",
                                   "ZELENKEVICH, Nikolay", "M. Zialenkevich", "Zialenkevich M."])
def test_full_names_in_any_order_and_script(people: NameIndex, query: str) -> None:
    hits = people.lookup(query)
    assert [m.entity for m in hits] == ["mz"]
    assert hits[0].form in ("full", "initial")


def test_the_matched_spelling_is_in_the_query_script(people: NameIndex) -> None:
    assert people.lookup("Зяленкевіч Мікалай")[0].spelling == "Мікалай Зяленкевіч"
    assert people.lookup("Zialenkevich Mikalai")[0].spelling == "Mikalai Zialenkevich"
    assert people.lookup("Zialenkevich Mikalai")[0].score == 100


@pytest.mark.parametrize(("query", "entity"), [
    ("Kazak Zinaida Ivanovna", "zk"), ("КАЗАК Зинаида Ивановна", "zk"), ("Zinaida Ivanovna Kazak", "zk"),
    ("Казак Зінаіда Іванаўна", "zk"), ("Klimovich Mikalai Ivanovich", "mk"), ("Клімовіч Мікалай Іванавіч", "mk")])
def test_a_patronymic_costs_no_score(people: NameIndex, query: str, entity: str) -> None:
    """Surname, given name and patronymic, as court records and Russian-style lists write them: the graph has no
    patronymic to hold against it (before, 'Kazak Zinaida Ivanovna' scored 74 and was never a match)."""
    hit = people.lookup(query)[0]
    assert (hit.entity, hit.form, hit.score) == (entity, "full", 100)
    assert people.lookup("Zinaida Kazak Klimovich")[0].score < 100  # a third name that is no patronymic counts


def test_the_spelling_shown_for_a_surname_is_one_holding_it_in_the_query_script() -> None:
    ix = NameIndex()
    ix.add("al", ["Aliaksandr Lukashenka", "A. Lukashenka", "Alexander Lukashenko", "Аляксандр Лукашэнка",
                  "Александр Лукашенко"])
    assert ix.lookup("Лукашенко")[0].spelling == "Александр Лукашенко"  # was "A. Lukashenka"
    assert ix.lookup("Лукашэнка")[0].spelling == "Аляксандр Лукашэнка"
    assert ix.lookup("Lukashenko")[0].spelling == "Alexander Lukashenko"
    alone = NameIndex()
    alone.add("al", ["Александр Лукашенко"])
    assert ix.lookup("Лукашенко")[0].score > alone.lookup("Лукашенко")[0].score  # the score: the closest spelling


def test_surname_first_as_lists_write_it(people: NameIndex) -> None:
    assert [m.entity for m in people.lookup("Kazak Zinaida")] == ["zk"]
    assert people.lookup("Kazak Zinaida")[0].score == 100
    assert sorted(m.entity for m in people.lookup("Kazak")) == ["ak", "zk"]  # a surname alone: both Kazaks
    assert people.lookup("Kazak Anton")[0].entity == "ak"
    assert people.lookup("Kazak Ihar") == []  # a given name that fits neither: nobody


def test_a_given_name_alone_only_when_asked(people: NameIndex) -> None:
    assert people.lookup("Мікалай") == []
    found = people.lookup("Мікалай", given_alone=True)
    assert sorted(m.entity for m in found) == ["mk", "mz"] and {m.form for m in found} == {"given"}
    assert sorted(m.entity for m in people.lookup("Николай", given_alone=True)) == ["mk", "mz"]


@pytest.fixture(scope="module")
def titles() -> TitleIndex:
    ix = TitleIndex()
    ix.add("cc-342", ["Criminal Code of Belarus, Article 342"])
    ix.add("cc-361-1", ["Criminal Code of Belarus, Article 361-1"])
    ix.add("ao-23-34", ["Code of Administrative Offences of the Republic of Belarus, Article 23.34"])
    ix.add("viasna", ['Human Rights Center "Viasna"', "Праваабарончы цэнтр «Вясна»"])
    ix.add("sr", ["Special Rapporteur on the situation of human rights in Belarus"])
    return ix


@pytest.mark.parametrize(("query", "expected"), [
    ("Art. 342", ["cc-342"]), ("ст. 342", ["cc-342"]), ("article 342", ["cc-342"]), ("Artykuł 342", ["cc-342"]),
    ("Article 23.34", ["ao-23-34"]), ("361-1", ["cc-361-1"]), ("342", ["cc-342"]),
    ("Вясна", ["viasna"]), ("viasna", ["viasna"]), ("VIASNA", ["viasna"]),
    ("human rights", ["viasna", "sr"]), ("Special Rapporteur Belarus", ["sr"]), ("34", []), ("Article 999", []),
])
def test_titles_by_their_words(titles: TitleIndex, query: str, expected: list[str]) -> None:
    assert [m.entity for m in titles.lookup(query)] == expected


def test_starts_of_words_complete_names(titles: TitleIndex) -> None:
    assert [m.entity for m in titles.lookup("crim co 342", prefix=True)] == ["cc-342"]
    assert [m.entity for m in titles.lookup("spec rap", prefix=True)] == ["sr"]
    assert [m.entity for m in titles.lookup("34", prefix=True)] == []  # a number is never a start of another
    full, start = titles.lookup("viasna", prefix=True)[0], titles.lookup("vias", prefix=True)[0]
    assert full.entity == start.entity == "viasna" and full.score > start.score


def test_a_number_folds_to_itself() -> None:
    assert fold("Article 23.34") == "article 23 34"
    assert fold("0lga") == "olga"  # a digit inside a word is still read as the letter it stands for
