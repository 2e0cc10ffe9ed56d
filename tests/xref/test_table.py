"""xref/table.py: CSV as analysts' spreadsheets write it, and refusals that say what and where."""

from __future__ import annotations

import csv
import io

import pytest

from hrgraph.xref.table import TableError, read, safe, write


def test_utf8_with_bom_semicolons_and_a_russian_header() -> None:
    t = read("\ufeffФИО;Год рождения;Статья\nКазак Зинаида;1970;ст. 342\n".encode(), 10)
    assert t.header == ["ФИО", "Год рождения", "Статья"] and t.name == 0
    assert t.rows == [["Казак Зинаида", "1970", "ст. 342"]] and t.lines == [2]


def test_utf16_tabs_and_surname_given_columns() -> None:
    t = read("surname\tgiven name\nKazak\tZinaida\n".encode("utf-16"), 10)
    assert t.name is None and t.name_of(t.rows[0]) == "Zinaida Kazak"


def test_quoted_multiline_cells_keep_their_line_numbers() -> None:
    t = read(b'name,note\n"Kazak Zinaida","two\nlines"\nAleh Hulak,\n', 10)
    assert t.lines == [2, 4] and t.rows[1][0] == "Aleh Hulak"


def test_wrong_encoding_says_where_and_what_to_do() -> None:
    with pytest.raises(TableError) as err:
        read("name\nАлесь Бяляцкі\n".encode("cp1251"), 10)
    assert err.value.status == 422
    assert "not UTF-8" in err.value.message and "line 2, column 1" in err.value.message
    assert "cp1251" in err.value.message and "CSV UTF-8" in err.value.message


def test_a_spreadsheet_file_is_not_csv() -> None:
    with pytest.raises(TableError) as err:
        read(b"PK\x03\x04" + b"\x00" * 40, 10)
    assert err.value.status == 415 and "xlsx" in err.value.message


@pytest.mark.parametrize("data", [b"Kazak Zinaida,1970\nAleh Hulak,1971\n", b"id,year\n1,1970\n"])
def test_no_header_naming_the_names(data: bytes) -> None:
    with pytest.raises(TableError) as err:
        read(data, 10)
    assert err.value.status == 422 and "header" in err.value.message and "`name`" in err.value.message


def test_empty_files() -> None:
    for data in (b"", b"\n\n", "\ufeff".encode()):
        with pytest.raises(TableError) as err:
            read(data, 10)
        assert err.value.status == 422 and "empty" in err.value.message


def test_too_many_rows_are_refused_with_the_limit() -> None:
    data = ("name\n" + "Kazak Zinaida\n" * 100_000).encode()
    with pytest.raises(TableError) as err:
        read(data, 5000)
    assert err.value.status == 413 and "100,000 rows" in err.value.message and "5,000" in err.value.message


def test_formula_cells_are_refused_by_line_and_column() -> None:
    data = b'name,note\nKazak Zinaida,=HYPERLINK("http://x","y")\n@SUM(A1),ok\nAleh Hulak,-\n+375 29 1234567,x\n'
    with pytest.raises(TableError) as err:
        read(data, 10)
    message = err.value.message
    assert err.value.status == 422 and "2 cell(s)" in message
    assert "line 2, column 'note'" in message and "line 3, column 'name'" in message
    assert "line 4" not in message and "line 5" not in message  # a dash and a telephone number are data


def test_written_csv_never_holds_a_formula() -> None:
    text = write(["name", "=cmd"], [["=HYPERLINK(\"x\")", "+1+2"], ["-2", "@SUM(A1)"], ["\tx", "Kazak"]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)
    assert rows[1][0] == "'=HYPERLINK(\"x\")" and rows[2][1] == "'@SUM(A1)" and rows[3][1] == "Kazak"
    assert safe(None) == "" and safe(12.5) == "12.5"


def test_a_quote_that_never_closes_is_refused_not_swallowing_the_rows_after_it() -> None:
    """Before, the rows after line 4 came back as one name ('Klimovich Mikalai,\\nPavel Seviarynets,\\n') and
    Pavel Seviarynets was lost without a word."""
    data = b'name,year\nAleh "Dembouski,1990\nKazak Zinaida,\n"Klimovich Mikalai,\nPavel Seviarynets,\n'
    with pytest.raises(TableError) as err:
        read(data, 10)
    assert err.value.status == 422 and "line 4" in err.value.message and "never closes" in err.value.message


def test_a_name_over_several_lines_is_a_quote_closed_too_late() -> None:
    data = b'name,note\n"Kazak Zinaida,x\nAleh Hulak,y\nPavel Seviarynets",z\nYan Falkin,ok\n'
    with pytest.raises(TableError) as err:
        read(data, 10)
    assert err.value.status == 422 and "line 2, column 'name'" in err.value.message
    assert "runs over 3 lines" in err.value.message


def test_stray_quotes_inside_a_cell_are_data() -> None:
    t = read(b'name,note\nAleh "Dembouski,1990\nKazak Zinaida,"two\nlines"\n', 10)
    assert [r[0] for r in t.rows] == ['Aleh "Dembouski', "Kazak Zinaida"] and t.rows[1][1] == "two\nlines"


@pytest.mark.parametrize("data", ["Name (Latin),Year\nKazak Zinaida,1960\n",
                                  "№;ФИО (рус.);Статья\n1;Kazak Zinaida;342\n",
                                  "No.,Full name [as in the annex]\n1,Kazak Zinaida\n"])
def test_a_header_with_a_qualifier_in_brackets_still_names_the_names(data: str) -> None:
    """Before, `Name (Latin)` or `ФИО (рус.)` was 'no header naming the names'."""
    t = read(data.encode(), 10)
    assert t.name is not None and t.name_of(t.rows[0]) == "Kazak Zinaida"
