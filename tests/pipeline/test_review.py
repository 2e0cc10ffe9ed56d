"""Review before publishing, end to end: candidates from a new page are proposed on the local review page (real
HTTP), one is accepted, one edited, one rejected; the decisions land in data/curated/reviews.yaml with who and
when; the rejected one is not proposed again; the build publishes the accepted and edited claims only, and with
the setting, the rest marked unreviewed. The store is checked too, not only the dumps."""

from __future__ import annotations

import gzip
import io
import re
import shutil
from pathlib import Path

import pytest
import requests
import yaml
from rdflib import Graph, Literal, URIRef

from hrgraph.config import Settings
from hrgraph.model.namespaces import HR
from hrgraph.pipeline.build import build
from hrgraph.pipeline.review.command import Workspace
from hrgraph.pipeline.review.server import ReviewServer
from hrgraph.store.embedded import open_current
from hrgraph.store.results import serialize

from conftest import copy_project, serving

DEVSET = Path(__file__).resolve().parents[1] / "fixtures" / "devset"
UNREVIEWED = URIRef("https://w3id.org/hrgraph/vocab/review-status/unreviewed")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("review"))
    shutil.copy(DEVSET / "05_court_report.txt", root / "data" / "sources" / "05_court_report.txt")
    return root


def _published(root: Path) -> Graph:
    with gzip.open(root / "dist" / "hrgraph.nt.gz", "rt", encoding="utf-8") as f:
        return Graph().parse(data=f.read(), format="nt")


def _charges(g: Graph) -> dict[str, tuple[str, str | None]]:
    """Published charges of the court report: person label -> (article number, sentence)."""
    out = {}
    for c in g.subjects(URIRef(str(HR.chargeStage)), None):
        person = g.value(c, HR.person)
        label = str(g.value(person, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        number = str(g.value(g.value(c, HR.provision), URIRef("http://data.europa.eu/eli/ontology#number")))
        sentence = g.value(c, HR.sentence)
        out[f"{label} {number}"] = (number, str(sentence) if sentence else None)
    return out


def test_default_build_publishes_no_unreviewed_candidate(project):
    settings = Settings(root=project)
    result = build(settings, out=io.StringIO())
    assert result.published
    g = _published(project)
    assert not _charges(g)  # the court report's charges are candidates: none published
    assert not list(g.subjects(HR.reviewStatus, UNREVIEWED))
    assert any(p.rule == "extraction-review" and "await review" in p.message for p in result.problems)
    store = open_current(settings)
    answer = store.run("ASK { ?c <https://w3id.org/hrgraph/ontology#chargeStage> ?s }")
    assert b"false" in serialize(answer, "application/sparql-results+json")


def test_review_page_accept_edit_reject_then_build(project):
    settings = Settings(root=project)
    ws = Workspace.load(settings)
    court = {r.key: r for r in ws.candidates() if r.evidence[0].source == "05_court_report.txt"}
    by_what = {ws.describe(r): r.key for r in court.values()}
    bialou_342 = next(k for d, k in by_what.items() if "Andrei Bialou" in d and "342" in d)
    bialou_368 = next(k for d, k in by_what.items() if "Andrei Bialou" in d and "368" in d)
    sheleh = next(k for d, k in by_what.items() if "Iryna Sheleh" in d)
    server = ReviewServer(settings, 0, "Curator Test", ws).start()
    try:
        base = f"http://127.0.0.1:{server.port}/"
        page = requests.get(base, timeout=10)
        assert page.status_code == 200 and "<mark>" in page.text and bialou_342 in page.text
        assert "Salihorsk District Court sentenced Andrei Bialou" in page.text  # the source text beside it
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        assert requests.post(base + "decide", data={"key": bialou_342, "action": "accept"},
                             timeout=10).status_code == 403  # no token: refused
        assert requests.get(base, headers={"Host": "evil.example:80"}, timeout=10).status_code == 403
        for data in ({"key": bialou_342, "action": "accept"},
                     {"key": bialou_368, "action": "edit", "f.sentence": "four years in a medium-security colony"},
                     {"key": sheleh, "action": "reject", "reason": "the article is wrong in the source"}):
            r = requests.post(base + "decide", data={**data, "token": token}, timeout=10)
            assert r.status_code == 200 and data["key"] in r.text  # after the 303 to the list
        after = requests.get(base, timeout=10).text
        assert all(k not in after for k in (bialou_342, bialou_368, sheleh))
    finally:
        server.stop()
    reviews = yaml.safe_load((project / "data" / "curated" / "reviews.yaml").read_text(encoding="utf-8"))
    accepted = {c["key"]: c for c in reviews["claims"]}
    assert accepted[bialou_342]["review"] == "accepted" and accepted[bialou_368]["review"] == "edited"
    assert accepted[bialou_368]["sentence"] == "four years in a medium-security colony"
    assert all(c["reviewed_by"] == "Curator Test" and c["reviewed_at"] for c in accepted.values())
    assert [r["key"] for r in reviews["rejected"]] == [sheleh] and reviews["rejected"][0]["reviewed_by"]
    # a new session does not propose the rejected (nor the decided) candidates again
    assert not {bialou_342, bialou_368, sheleh} & {r.key for r in Workspace.load(settings).candidates()}

    result = build(settings, out=io.StringIO())
    assert result.published, result.held_back
    charges = _charges(_published(project))
    assert charges == {"Andrei Bialou 342": ("342", "four years of imprisonment"),
                       "Andrei Bialou 368": ("368", "four years in a medium-security colony")}
    g = _published(project)
    edited = next(s for s in g.subjects(HR.sentence, Literal("four years in a medium-security colony", lang="en")))
    assert g.value(edited, HR.reviewStatus) == URIRef("https://w3id.org/hrgraph/vocab/review-status/edited")
    activity = g.value(edited, URIRef("http://www.w3.org/ns/prov#wasGeneratedBy"))
    assert str(g.value(activity, HR.extractionRule)).startswith("charge-") and g.value(activity, HR.extractorVersion)
    assert "Curator Test" not in (project / "dist" / "hrgraph.ttl").read_text(encoding="utf-8")


def test_publish_unreviewed_marks_them(project):
    settings = Settings(root=project, publish_unreviewed=True)
    result = build(settings, out=io.StringIO())
    assert result.published, result.held_back
    g = _published(project)
    marked = set(g.subjects(HR.reviewStatus, UNREVIEWED))
    assert marked
    labels = {str(g.value(s, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) for s in marked}
    assert all(label.startswith("(unreviewed) ") for label in labels)
    assert any("Pavel Hrabko" in label for label in labels)  # the court report's pending charge
    assert not any("Iryna Sheleh" in label for label in labels)  # rejected stays out even here
    store = open_current(settings)
    answer = store.run("SELECT ?l WHERE { ?c <https://w3id.org/hrgraph/ontology#reviewStatus> "
                       "<https://w3id.org/hrgraph/vocab/review-status/unreviewed> ; "
                       "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert b"(unreviewed)" in serialize(answer, "text/csv")
    claim = next(iter(marked))
    with serving(project) as server:  # the page of an unreviewed claim says so
        page = requests.get(server.url + "/" + str(claim).removeprefix(settings.base), timeout=30,
                            headers={"Accept": "text/html"})
        assert page.status_code == 200 and "(unreviewed)" in page.text and "Unreviewed" in page.text


def test_extraction_and_curated_disagree_out_loud():
    from hrgraph.model.records import Evidence, Origin, Record
    from hrgraph.pipeline.review import select

    o, ev = Origin("x", 1), (Evidence("p.txt", "q"),)
    curated = [Record("claims", "rec-curated", {"type": "recognition", "statement": "s1", "person": "ann",
                                                "former": True}, o, ev),
               Record("claims", "chg-curated", {"type": "charge", "statement": "s1", "person": "ann",
                                                "provision": "cc-342"}, o, ev),
               Record("rejected", "dem-x", {"reviewed_by": "c"}, o)]
    ingested = [Record("claims", "rec-x", {"type": "recognition", "statement": "s1", "person": "ann",
                                           "former": False, "review": "unreviewed"}, o, ev),
                Record("claims", "chg-x", {"type": "charge", "statement": "s1", "person": "ann",
                                           "provision": "cc-342", "review": "unreviewed"}, o, ev),
                Record("claims", "dem-x", {"type": "demand", "statement": "s1", "demand_type": "release"}, o, ev)]
    sel = select(curated, ingested)
    assert [r.key for r in sel.pending] == ["rec-x"]  # the charge agrees, the demand was rejected
    warning = next(p for p in sel.problems if p.rule == "extraction-disagrees")
    assert "rec-curated" in warning.message and "former" in warning.message and warning.severity == "Warning"
    summary = next(p for p in sel.problems if p.rule == "extraction-review").message
    assert "1 extracted candidate(s) await review" in summary and "1 agree" in summary and "1 rejected" in summary
    assert {r.key for r in sel.records} == {"rec-curated", "chg-curated"}


def test_review_in_the_terminal(tmp_path):
    import io
    from types import SimpleNamespace

    from hrgraph.pipeline.review.command import run

    root = copy_project(tmp_path)
    shutil.copy(DEVSET / "23_pronoun.txt", root / "data" / "sources" / "23_pronoun.txt")
    settings = Settings(root=root)
    args = dict(serve=False, port=0, by="T. Curator", accept=None, reject=None, edit=None, reason=None, list=False)
    out = io.StringIO()
    assert run(settings, SimpleNamespace(**{**args, "list": True}), out) == 0
    keys = [line.split()[0] for line in out.getvalue().splitlines() if "Natallia Luhavaya" in line]
    assert len(keys) == 2  # the detention and the charge
    shown = io.StringIO()
    assert run(settings, SimpleNamespace(**args), shown, io.StringIO("a\nr\nwrong page\nq\n")) == 0
    assert "\033[7m" in shown.getvalue()  # the quote highlighted in its source text
    reviews = yaml.safe_load((root / "data" / "curated" / "reviews.yaml").read_text(encoding="utf-8"))
    assert len(reviews.get("claims", []) + reviews.get("events", [])) == 1 and len(reviews["rejected"]) == 1
    assert run(settings, SimpleNamespace(**{**args, "accept": "no-such-key"}), io.StringIO()) == 2
