"""Terms as HTML (web/present.py): the pages' pieces built as plain strings must escape exactly as the
templates' own escaping does, and nothing in the data becomes markup or a script link."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from pyoxigraph import Literal, NamedNode

from hrgraph.web.present import Presenter, html_text

BASE = "https://w3id.org/hrgraph/"


@given(st.text(alphabet=st.sampled_from("&<>'\"a é\u2028;#x0") | st.characters(), max_size=40))
def test_html_text_escapes_as_markupsafe_does(text: str) -> None:
    assert html_text(text) == str(escape(text))


def test_terms_from_the_data_never_become_markup() -> None:
    p = Presenter(BASE, {f"{BASE}id/person/x": "<script>alert(1)</script>"})
    person = p.term(NamedNode(f"{BASE}id/person/x"))
    assert str(person) == '<a href="/id/person/x">&lt;script&gt;alert(1)&lt;/script&gt;</a>'
    quoted = p.term(Literal('"quoted" & <b>bold</b>', language="be"))
    assert str(quoted) == '<span class="literal" lang="be">&#34;quoted&#34; &amp; &lt;b&gt;bold&lt;/b&gt;</span>'
    sneaky = p.term(NamedNode("javascript:alert(1)"))
    assert "href" not in sneaky and str(sneaky).startswith('<span class="iri">')
    assert str(p.terms([NamedNode("https://example.org/a?x=1&y=2"), Literal("1")])) == (
        '<a href="https://example.org/a?x=1&amp;y=2">a?x=1&amp;y=2</a>, <span class="literal">1</span>')
