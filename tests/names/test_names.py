"""names/: one person in any spelling, and nobody else.

The spellings below are invented people (no real names). Besides the hand-written cases, every Russian
romanisation iuliia knows (ISO 9, BGN/PCGN, ALA-LC, GOST, scientific, passports, Wikipedia, ...) and
cyrtranslit's Belarusian and Russian tables spell the Cyrillic names afresh: the rules in names/ were not
written from those outputs, so they show whether the rules generalise.
"""

from __future__ import annotations

import time

import cyrtranslit
import iuliia
import pytest

from hrgraph.names import NameIndex, fold, in_context, surname_key

PEOPLE = {
    "zv": ["Zmitrok Varantsevich", "Змітрок Варанцэвіч"],
    "ks": ["Kanstantsin Shchyrabilau", "Канстанцін Шчырабілаў"],
    "lh": ["Lizaveta Hrybashchuk", "Лізавета Грыбашчук"],
    "ol": ["Ostap Lutsyk"],
}


@pytest.fixture(scope="module")
def index() -> NameIndex:
    ix = NameIndex()
    for key, names in PEOPLE.items():
        ix.add(key, names)
    ix.add("other", ["Anton Varantsevich"])
    return ix


def found(ix: NameIndex, text: str) -> list[tuple[str, str, set[str]]]:
    return [(m.form, m.text, set(m.entities)) for m in in_context(ix.find(text), text)]


@pytest.mark.parametrize(("text", "who"), [
    ("Змітрок Варанцэвіч", "zv"),  # listed
    ("Zmitrok Varantsevich", "zv"),
    ("Змитрок Воронцевич", "zv"),  # Russian Cyrillic, not listed
    ("Zmitrok Vorontsevich", "zv"),  # Russian-style Latin
    ("Zmitrok Varancevič", "zv"),  # national 2007 system / Łacinka
    ("Zmitrok Varancevich", "zv"),
    ("Змітрка Варанцэвіча", "zv"),  # genitive
    ("Змітрку Варанцэвічу", "zv"),  # dative
    ("Змітрком Варанцэвічам", "zv"),  # instrumental
    ("Z. Varantsevich", "zv"), ("Varantsevich Z.", "zv"), ("З. Варанцэвіч", "zv"),  # initials
    ("Варанцэвіч Змітрок Пятровіч", "zv"),  # surname first, with a patronymic
    ("Zmitrok Vаrаntsеvich", "zv"),  # Cyrillic а and е inside a Latin word
    ("Змiтрок Варанцэвiч", "zv"),  # Latin i inside Cyrillic words
    ("ZMITROK VARANTSEVICH", "zv"),
    ("zmitrok-varantsevich", "zv"), ("ZmitrokVarantsevich", "zv"), ("zmitrok_varantsevich", "zv"),
    ("Kanstantsin Shchyrabilau", "ks"), ("Konstantin Shchirobilov", "ks"), ("Константин Щиробилов", "ks"),
    ("Kanstancin Ščyrabiłaŭ", "ks"), ("Kanstantsin Shchyrabilaw", "ks"), ("Канстанціна Шчырабілава", "ks"),
    ("Константином Щиробиловым", "ks"), ("Konstantin Schirobilow", "ks"), ("Kanstantsin Shchyrabilau's", "ks"),
    ("Lizaveta Hrybashchuk", "lh"), ("Елизавета Грибащук", "lh"), ("Yelizaveta Gribashchuk", "lh"),
    ("Lizavieta Hrybaščuk", "lh"), ("Лізаветы Грыбашчук", "lh"), ("L. Hrybashchuk", "lh"),
    ("Ostap Lutsyk", "ol"), ("Остап Луцик", "ol"), ("Ostap Lucyk", "ol"), ("Остапа Луцика", "ol"),
])
def test_every_spelling_names_the_person(index: NameIndex, text: str, who: str) -> None:
    hits = found(index, f"On Monday {text} was detained.")
    assert [h[2] for h in hits] == [{who}], hits
    assert hits[0][1].split()[0].strip(".,'") in text


def test_a_url_slug_names_the_person_by_surname(index: NameIndex) -> None:
    hits = found(index, "https://example.org/en/news/we-demand-to-investigate-shchyrabilaus-death")
    assert [(h[0], h[2]) for h in hits] == [("surname", {"ks"})]


def test_a_namesake_with_another_given_name_is_someone_else(index: NameIndex) -> None:
    assert found(index, "Anton Varantsevich spoke.") == [("full", "Anton Varantsevich", {"other"})]
    assert found(index, "Ihar Shchyrabilau spoke.") == []  # a given name that fits nobody: not ks
    assert found(index, "Varantsevich spoke.") == [("surname", "Varantsevich", {"zv", "other"})]


def test_a_surname_alone_is_read_in_context(index: NameIndex) -> None:
    text = "Anton Varantsevich was detained. Varantsevich said nothing."
    assert [h[2] for h in found(index, text)] == [{"other"}, {"other"}]


def test_ordinary_words_are_no_names(index: NameIndex) -> None:
    text = "The lutsk court, a shower, varied views, hrybas and the Ostap Street; Lutsko; Vorontsov; Shcherbakov."
    assert found(index, text) == []


ROMANISATIONS = [getattr(iuliia, name) for name in dir(iuliia) if name.isupper() and name != "UZ"]


@pytest.mark.parametrize("schema", ROMANISATIONS, ids=lambda s: s.name)
def test_every_russian_romanisation_is_recognised(index: NameIndex, schema) -> None:
    for russian, who in (("Змитрок Воронцевич", "zv"), ("Константин Щиробилов", "ks"), ("Остап Луцик", "ol"),
                         ("Елизавета Грибащук", "lh"), ("Константина Щиробилова", "ks")):
        text = f"Сегодня {schema.translate(russian)} задержан."
        assert [h[2] for h in found(index, text)] == [{who}], (schema.name, schema.translate(russian))


@pytest.mark.parametrize(("lang", "names"), [
    ("by", (("Змітрок Варанцэвіч", "zv"), ("Канстанцін Шчырабілаў", "ks"), ("Лізавета Грыбашчук", "lh"))),
    ("ru", (("Змитрок Воронцевич", "zv"), ("Константин Щиробилов", "ks"), ("Остап Луцик", "ol")))])
def test_cyrtranslit_tables_both_ways(index: NameIndex, lang: str, names) -> None:
    for name, who in names:
        latin = cyrtranslit.to_latin(name, lang)
        assert [h[2] for h in found(index, latin)] == [{who}], latin
        back = cyrtranslit.to_cyrillic(latin, lang)
        assert [h[2] for h in found(index, back)] == [{who}], back


def test_keys_of_one_surname_agree() -> None:
    assert len({surname_key(s) for s in ("Shchyrabilau", "Шчырабілаў", "Щиробилов", "Ščyrabiłaŭ",
                                         "Shchyrabilaw", "Schirobilow", "Shchirobilov")}) == 1
    assert surname_key("Varantsevich") != surname_key("Varantsou")
    assert fold("Kаrаtkеvісh") == fold("Karatkevich") == fold("Каратkевiч".replace("k", "к"))


def test_match_and_lookup_ignore_order_script_and_case(index: NameIndex) -> None:
    assert index.match("Щиробилов константин") == {"ks"}
    assert index.match("Varantsevich") == {"zv", "other"}
    best = index.lookup("voronTSEVICH zmitrok")
    assert best[0].entity == "zv" and best[0].spelling in PEOPLE["zv"]


def test_a_misspelt_surname_beside_the_given_name_is_near(index: NameIndex) -> None:
    hits = [(m.form, set(m.entities)) for m in index.find("Zmitrok Varantsevish came.", near={"zv"})]
    assert hits == [("near", {"zv"})]


def test_time_is_linear_in_the_text(index: NameIndex) -> None:
    """Twice the text, about twice the time (a quadratic step would be four times): a guard, not a benchmark."""
    unit = "Zmitrok Varantsevich and Anton Varantsevich met Ostap Lutsyk in Minsk on 3 March; the court ruled. "
    def run(n: int) -> float:
        text = unit * n
        t0 = time.perf_counter()
        index.find(text)
        return time.perf_counter() - t0
    run(200)
    small, large = min(run(2000) for _ in range(2)), min(run(8000) for _ in range(2))
    assert large < small * 8, (small, large)
