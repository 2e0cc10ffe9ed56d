"""What templates need to show RDF terms: labels, compact names and links that stay on this server."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from markupsafe import Markup
from pyoxigraph import Literal, NamedNode

from hrgraph.model.namespaces import curie
from hrgraph.store.base import Term
from hrgraph.web.labels import label_of


def html_text(text: str) -> str:
    """`text` escaped for HTML exactly as markupsafe's `escape` does, as a plain string: the pieces of a page
    built in Python are joined as plain strings and made `Markup` once (a `Markup` per piece cost a fifth of
    rendering a claim's page)."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
            .replace('"', "&#34;"))


@dataclass(frozen=True)
class Presenter:
    """Labels, and links that stay on this server for our own IRIs. Only http(s) IRIs become links (a
    `javascript:` IRI in the data stays text)."""

    base: str
    labels: dict[str, str] = field(default_factory=dict)

    def href(self, term: Term | str) -> str | None:
        iri = term if isinstance(term, str) else term.value
        if isinstance(term, Literal):
            return None
        if iri.startswith(self.base):
            return "/" + iri[len(self.base):]
        return iri if iri.startswith(("http://", "https://")) else None

    def label(self, term: Term | str) -> str:
        return label_of(term, self.labels)

    def curie(self, term: Term | str) -> str:
        """`schema:Person` rather than a bare label: classes of several vocabularies share local names."""
        iri = term if isinstance(term, str) else term.value
        return curie(iri) or self.label(term)

    def is_iri(self, term: Term | str) -> bool:
        return isinstance(term, str) or isinstance(term, NamedNode)

    def language(self, term: Term) -> str | None:
        return term.language if isinstance(term, Literal) else None

    def term(self, term: Term | str) -> Markup:
        """A term as HTML: a link (or plain text) with its label, a literal with its language. In Python, not a
        template macro: pages show dozens to hundreds, and a macro call costs several times as much."""
        return Markup(self.term_html(term))

    def terms(self, terms: Iterable[Term | str]) -> Markup:
        return Markup(self.terms_html(terms))

    def term_html(self, term: Term | str) -> str:
        """`term` as HTML, a plain string (see `html_text`)."""
        if self.is_iri(term):
            href, label = self.href(term), html_text(self.label(term))
            return f'<a href="{html_text(href)}">{label}</a>' if href else f'<span class="iri">{label}</span>'
        language = self.language(term)  # type: ignore[arg-type]
        lang = f' lang="{html_text(language)}"' if language else ""
        return f'<span class="literal"{lang}>{html_text(term.value)}</span>'  # type: ignore[union-attr]

    def terms_html(self, terms: Iterable[Term | str]) -> str:
        return ", ".join(self.term_html(t) for t in terms)
