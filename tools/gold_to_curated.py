"""One-off tool: draft data/curated/persons.yaml and claims.yaml from the gold annotation.

Used once to produce the first draft; the YAML files are the source of truth afterwards and are
maintained by hand. Kept for the record of how the draft was derived.

    .venv/bin/python tools/gold_to_curated.py /path/to/gold/seeds.yaml [--out data/curated]

Gold ids (``per:``, ``R001`` ...) are used only to look things up; none is written out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

F000 = "000_ea40ffb1ad6f29d2.txt"
F001 = "001_49413b43df8c0331.txt"
F002 = "002_8785cdd713b65339.txt"
F003 = "003_d134e3591f734dae.txt"

# statement keys (statements.yaml) by listing position "<file>-<item>"
STM = {
    "000-1": "release-andrei-aliaksandrau-and-iryna-zlobina",
    "000-2": "retrials-for-karatkevich-tsimafeyenka-and-yafimau",
    "000-3": "9-new-political-prisoners-in-belarus",
    "000-4": "release-siarhei-hardziyevich-and-dzmitry-kulakouski",
    "000-5": "bhc-communication-to-special-rapporteur-on-database",
    "000-dec22": "statement-of-december-22-on-defamation",
    "001-1": "bhc-speech-at-hrc-52",
    "001-2": "elderly-political-prisoners-report-to-ie-older-persons",
    "001-5": "report-on-accountability-for-association-and-assembly-violations",
    "002-1": "rehabilitation-of-20-former-political-prisoners",
    "003-2": "investigate-death-of-mikalai-klimovich",
    "003-6": "release-viasna-members-first-anniversary-of-crackdown",
    "003-7": "release-pavel-seviarynets",
}

SIGNATORIES_002 = [
    ("viasna", "Viasna Human Rights Center;"),
    ("office-for-the-rights-of-persons-with-disabilities", "Office for the Rights of Persons with Disabilities;"),
    ("pen-belarus", "PEN Belarus;"),
    ("baj", "Belarusian Association of Journalists;"),
    ("barys-zvozskau-belarusian-human-rights-house", "Barys Zvozskau Belarusian Human Rights House."),
]

ALT_LABELS = {
    "aliaksandr-lukashenka": [
        "A. Lukashenka",
        "Alexander Lukashenko",
        {"text": "Аляксандр Лукашэнка", "lang": "be"},
        {"text": "Александр Лукашенко", "lang": "ru"},
    ],
    "aleh-hulak": ["Oleg Gulak", {"text": "Алег Гулак", "lang": "be"}, {"text": "Олег Гулак", "lang": "ru"}],
    "pavel-seviarynets": ["Paval Sieviaryniec", {"text": "Павел Севярынец", "lang": "be"}],
    "mikalai-klimovich": ["Nikolai Klimovich"],
}

NOTES = {
    "aliaksandr-lukashenka": (
        'Named in the sources only as "A. Lukashenka" (the person insulted or slandered in the offences '
        "reported); the full first name is ours."
    ),
    "mikalai-klimovich": "Political prisoner; died in Penal Colony No. 3 (Vićba), reported on 7 May 2023.",
    "pavel-seviarynets": "Sentenced on 8 July 2020 to 15 days of administrative detention.",
    "aleh-hulak": "Human rights defender and chairman of the Belarusian Helsinki Committee; died on 16 December 2022.",
    "ekaterina-kouznetsova": 'International lawyer and expert of the "Fifth Republic" project.',
}

SECTION = {
    F000: "000_ea40ffb1ad6f29d2.txt: political prisoners named in the BHC listing",
    F002: "002_8785cdd713b65339.txt: the 20 former political prisoners of the Viasna joint statement",
    None: "Other named persons (002, 003, 004)",
}


def slug(gold_id: str) -> str:
    return gold_id.split(":", 1)[1]


def ev(source: str, quote: str) -> dict:
    return {"source": source, "quote": quote}


def build_persons(gold: dict) -> list[tuple[str | None, dict]]:
    out: list[tuple[str | None, dict]] = []
    seen_section: set[str] = set()
    for p in gold["persons"]:
        if p.get("unnamed") or not p.get("name"):
            continue
        key = slug(p["id"])
        first = p["evidence"][0]["file"]
        if first == F000:
            section = SECTION[F000]
        elif "former political prisoner" in (p.get("status_in_seed") or ""):
            section = SECTION[F002]
        else:
            section = SECTION[None]
        header = None
        if section and section not in seen_section:
            seen_section.add(section)
            header = section
        rec: dict = {"key": key, "label": p["name"]}
        if key in ALT_LABELS:
            rec["alt_labels"] = ALT_LABELS[key]
        if key in NOTES:
            rec["note"] = NOTES[key]
        quotes = [e for e in p["evidence"] if not e["quote"].endswith("\n")][:2]
        rec["evidence"] = [ev(e["file"], e["quote"]) for e in quotes]
        out.append((header, rec))
    return out


def persons_of(gold: dict, rtype: str, stm: str) -> list[str]:
    return [slug(r["object"]) for r in gold["relations"] if r["type"] == rtype and r["subject"] == stm]


def build_claims(gold: dict) -> list[tuple[str | None, dict]]:
    C: list[tuple[str | None, dict]] = []

    def add(header, **rec):
        C.append((header, rec))

    # --- recognitions -------------------------------------------------------------------
    h = "Recognitions (one per person per statement)"
    for p in persons_of(gold, "refersToAsPoliticalPrisoner", "stm:000-1"):
        add(
            h,
            key=f"rec-000-1-{p}",
            type="recognition",
            statement=STM["000-1"],
            source=F000,
            quote="political prisoners Andrei Aliaksandrau and Iryna Zlobina",
            person=p,
            recognised_by=["bhc"],
            note="The headline calls them political prisoners; recogniser inferred from the site (BHC).",
        )
        h = None
    for p in persons_of(gold, "refersToAsPoliticalPrisoner", "stm:000-2"):
        add(
            None,
            key=f"rec-000-2-{p}",
            type="recognition",
            statement=STM["000-2"],
            source=F000,
            quote="political prisoners Dzmitry Karatkevich, Andrei Tsimafeyenka and Siarhei Yafimau",
            person=p,
            recognised_by=["bhc"],
            note="The headline calls them political prisoners; recogniser inferred from the site (BHC).",
        )
    names = {slug(x["id"]): x["name"] for x in gold["persons"] if x.get("name")}
    for p in persons_of(gold, "recognizesAsPoliticalPrisoner", "stm:000-3"):
        add(
            None,
            key=f"rec-000-3-{p}",
            type="recognition",
            statement=STM["000-3"],
            source=F000,
            quote="recognize them as political prisoners",
            person=p,
            recognised_by=["bhc"],
            note='Recogniser inferred from the site (the text says "we").',
            evidence=[ev(F000, names[p])],
        )
    for p in persons_of(gold, "recognizesAsPoliticalPrisoner", "stm:000-4"):
        add(
            None,
            key=f"rec-000-4-{p}",
            type="recognition",
            statement=STM["000-4"],
            source=F000,
            quote="Siarhei Hardziyevich and Dzmitry Kulakouski themselves as political prisoners",
            person=p,
            recognised_by=["bhc"],
            criterion="3.1-a",
            note='Recogniser inferred from the site (the text says "we").',
            evidence=[ev(F000, "in accordance with paragraph 3.1 (a) of the Guidelines")],
        )
    for p in persons_of(gold, "recognizesAsFormerPoliticalPrisoner", "stm:002-1"):
        add(
            None,
            key=f"rec-002-1-{p}",
            type="recognition",
            statement=STM["002-1"],
            source=F002,
            quote="With regard to the listed former political prisoners",
            person=p,
            recognised_by=[k for k, _ in SIGNATORIES_002],
            former=True,
            date="2024-03-22",
            evidence=[
                ev(F002, names[p]),
                ev(F002, "We consider the persecution of the individuals mentioned above to be politically motivated"),
            ],
        )
    add(
        None,
        key="rec-003-2-mikalai-klimovich",
        type="recognition",
        statement=STM["003-2"],
        source=F003,
        quote="political prisoner Mikalai Klimovich",
        person="mikalai-klimovich",
        recognised_by=["belarusian-human-rights-community"],
    )

    # --- demands ------------------------------------------------------------------------
    def dem(key, stm, src, quote, dtype, persons, by=None, note=None, header=None, evidence=None):
        rec = dict(
            key=key, type="demand", statement=STM[stm], source=src, quote=quote, demand_type=dtype, persons=persons
        )
        if by:
            rec["demanded_by"] = by
        if note:
            rec["note"] = note
        if evidence:
            rec["evidence"] = evidence
        C.append((header, rec))

    site = "Demander inferred from the site (BHC)."
    dem(
        "dem-000-1-release",
        "000-1",
        F000,
        "Immediately release political prisoners Andrei Aliaksandrau and Iryna Zlobina!",
        "release",
        persons_of(gold, "demandsRelease", "stm:000-1"),
        ["bhc"],
        site,
        header="Demands (per statement and type)",
    )
    dem(
        "dem-000-2-retrial",
        "000-2",
        F000,
        "HRDs call for retrials in cases of political prisoners",
        "retrial",
        persons_of(gold, "demandsRetrial", "stm:000-2"),
        ["bhc"],
        'The headline says "HRDs"; demander inferred from the site (BHC).',
    )
    dem(
        "dem-000-4-release",
        "000-4",
        F000,
        "Immediately release political prisoners Siarhei Hardziyevich and Dzmitry Kulakouski",
        "release",
        persons_of(gold, "demandsRelease", "stm:000-4"),
        ["bhc"],
        site,
    )
    dem(
        "dem-000-dec22-decriminalisation",
        "000-dec22",
        F000,
        "demanding the decriminalization of defamation",
        "decriminalisation",
        [],
        ["bhc"],
        "Decriminalisation of defamation. " + site,
    )
    dem(
        "dem-000-dec22-cessation-of-persecution",
        "000-dec22",
        F000,
        "cessation of the persecution",
        "cessation-of-persecution",
        [],
        ["bhc"],
        "Of persons prosecuted for defamation or insult. " + site,
    )
    dem(
        "dem-000-dec22-release",
        "000-dec22",
        F000,
        "release of all political prisoners convicted of defamation",
        "release",
        [],
        ["bhc"],
        "All political prisoners convicted of defamation or insult of officials and the President, or of "
        "insulting state symbols. " + site,
    )
    dem(
        "dem-001-1-establish-mechanism",
        "001-1",
        F001,
        "the Council should establish an independent mechanism",
        "establish-mechanism",
        [],
        ["bhc", "coalition-of-belarusian-human-rights-defenders"],
        "Addressed to the UN Human Rights Council: an independent mechanism to investigate the most severe "
        "violations in Belarus, including crimes against humanity "
        "(proposed-independent-mechanism-on-belarus).",
    )
    by002 = [k for k, _ in SIGNATORIES_002]
    p002 = persons_of(gold, "demandsRehabilitation", "stm:002-1")
    dem(
        "dem-002-1-case-review",
        "002-1",
        F002,
        "we demand a review of their criminal cases in order to cancel their sentences",
        "case-review",
        p002,
        by002,
    )
    dem(
        "dem-002-1-reversal-of-sentence",
        "002-1",
        F002,
        "reverse arbitrary sentences against the persons listed in the statement",
        "reversal-of-sentence",
        p002,
        by002,
    )
    dem(
        "dem-002-1-rehabilitation",
        "002-1",
        F002,
        "ensure their full rehabilitation",
        "rehabilitation",
        p002,
        by002,
        evidence=[ev(F002, "demand rehabilitation of 20 former political prisoners")],
    )
    dem(
        "dem-002-1-compensation",
        "002-1",
        F002,
        "compensation for all types of damage caused by arbitrary conviction and imprisonment",
        "compensation",
        p002,
        by002,
    )
    dem(
        "dem-002-1-release",
        "002-1",
        F002,
        "immediately release all political prisoners",
        "release",
        [],
        by002,
        "All political prisoners and other individuals detained for peaceful assembly in the post-election "
        "period; addressed to the Belarusian authorities.",
        evidence=[ev(F002, "other individuals detained")],
    )
    dem(
        "dem-002-1-end-of-repression",
        "002-1",
        F002,
        "stop political repression in the country",
        "end-of-repression",
        [],
        by002,
        "Addressed to the Belarusian authorities.",
    )
    dem(
        "dem-003-2-investigation",
        "003-2",
        F003,
        "We demand to investigate Klimovich's death",
        "investigation",
        ["mikalai-klimovich"],
        ["belarusian-human-rights-community"],
        "Investigation of the death and of the lack of proper medical care in the penal colonies.",
        evidence=[ev(F003, "the lack of proper medical care in the colonies")],
    )
    dem(
        "dem-003-6-release",
        "003-6",
        F003,
        "demand the release of seven detained Viasna members",
        "release",
        [],
        None,
        "Seven detained members of Viasna, not named in the source; demanded by 23 unnamed organisations.",
    )
    dem(
        "dem-003-7-release",
        "003-7",
        F003,
        "Immediately release Pavel Seviarynets!",
        "release",
        ["pavel-seviarynets"],
        None,
        "Demanding organisations not named in the source.",
    )

    # --- charges ------------------------------------------------------------------------
    add(
        "Charges (provision known from the text)",
        key="chg-002-1-insulting-the-president",
        type="charge",
        statement=STM["002-1"],
        source=F002,
        quote="insulting A. Lukashenka",
        provision="by-cc-368",
        note="General: unnamed individuals prosecuted for insulting the President. The article number is "
        "not in this statement; it is matched from the same wording for Article 368 in 003.",
    )
    add(
        None,
        key="chg-003-2-mikalai-klimovich",
        type="charge",
        statement=STM["003-2"],
        source=F003,
        quote="He was convicted under Article 368 of the Criminal Code of the Republic of Belarus",
        person="mikalai-klimovich",
        provision="by-cc-368",
        note="Court, date and sentence are not stated in the source.",
    )
    add(
        None,
        key="chg-003-7-pavel-seviarynets",
        type="charge",
        statement=STM["003-7"],
        source=F003,
        quote="the Saviecki District Court of Minsk ruled to sentence Pavel Seviarynets",
        person="pavel-seviarynets",
        provision="by-coao-2003-23-34",
        court="saviecki-district-court-of-minsk",
        sentence="15 days of administrative detention",
        date="2020-07-08",
        note='Administrative (not criminal) liability. The text says "On July 8"; the year is taken from '
        "the statement date (10 July 2020).",
        evidence=[
            ev(F003, "committed an offense under Art 23.34 of the Code of Administrative Offenses"),
            ev(F003, "15 days of administrative detention"),
        ],
    )

    # --- submissions --------------------------------------------------------------------
    add(
        "Submissions to mechanisms",
        key="sub-000-5-bhc-special-rapporteur",
        type="submission",
        statement=STM["000-5"],
        source=F000,
        quote="The BHC drew the attention of the Special Rapporteur",
        submitted_by=["bhc"],
        addressed_to=["special-rapporteur-unidentified"],
    )
    add(
        None,
        key="sub-001-1-bhc-hrc-52",
        type="submission",
        statement=STM["001-1"],
        source=F001,
        quote="The Belarusian Helsinki Committee spoke at the 52nd session of the UN Human Rights Council",
        submitted_by=["bhc"],
        addressed_to=["un-human-rights-council-52nd-session"],
        note="Oral statement, on behalf of the coalition of Belarusian human rights defenders.",
    )
    add(
        None,
        key="sub-001-2-bhc-ie-older-persons",
        type="submission",
        statement=STM["001-2"],
        source=F001,
        quote="The UN Independent Expert on the enjoyment of all human rights by older persons",
        submitted_by=["bhc"],
        addressed_to=["ie-older-persons"],
        note='The text says "we"; submitter inferred from the site (BHC).',
    )
    add(
        None,
        key="sub-001-5-bhc-special-procedures",
        type="submission",
        statement=STM["001-5"],
        source=F001,
        quote="has been sent to the UN Special Procedures",
        submitted_by=["bhc"],
        addressed_to=["un-special-procedures"],
        note='The text says "we"; submitter inferred from the site (BHC). Also in 004_c52ada9970260969.txt.',
    )

    # --- signatures ---------------------------------------------------------------------
    h = "Signatures (one per signatory)"
    for org, quote in SIGNATORIES_002:
        add(
            h,
            key=f"sig-002-1-{org}",
            type="signature",
            statement=STM["002-1"],
            source=F002,
            quote=quote,
            signatories=[org],
        )
        h = None

    # --- statistics ---------------------------------------------------------------------
    def stat(key, stm, quote, value, qualifier, of, header=None, note=None):
        rec = dict(
            key=key,
            type="statistic",
            statement=STM[stm],
            source=F001,
            quote=quote,
            value=value,
            qualifier=qualifier,
            of=of,
        )
        if note:
            rec["note"] = note
        C.append((header, rec))

    stat(
        "stat-001-2-elderly-political-prisoners",
        "001-2",
        "at least 40 elderly people are now imprisoned for political reasons",
        40,
        "at-least",
        "elderly people imprisoned in Belarus for political reasons",
        header="Statistics",
    )
    stat(
        "stat-001-2-over-70",
        "001-2",
        "5 of whom are over the age of 70",
        5,
        "exactly",
        "elderly political prisoners over the age of 70",
    )
    stat(
        "stat-001-2-on-terrorist-lists",
        "001-2",
        '7 of the 40 elderly political prisoners are on the "terrorist" lists',
        7,
        "exactly",
        'elderly political prisoners on the "terrorist" lists, not allowed to receive remittances',
    )
    stat(
        "stat-001-5-organisations-facing-liquidation",
        "001-5",
        "777 organizations facing forced liquidation",
        777,
        "exactly",
        "organisations facing forced liquidation",
    )
    stat(
        "stat-001-5-civil-society-detained",
        "001-5",
        "at least 60 representatives of civil society organizations",
        60,
        "at-least",
        "representatives of civil society organisations in places of detention",
    )
    return C


# ---------------------------------------------------------------------------------------------
def scalar(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False).removesuffix("\n...\n").rstrip("\n")


def flow(value) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=10_000, sort_keys=False, default_flow_style=True)
    return text.rstrip("\n")


def record_lines(rec: dict) -> list[str]:
    """One record in block style; scalar lists in flow style (block when long); evidence as flow maps."""
    out: list[str] = []
    for i, (field, value) in enumerate(rec.items()):
        lead = "- " if i == 0 else "  "
        if isinstance(value, list):
            text = flow(value)
            if not any(isinstance(v, dict) for v in value) and len(text) + len(field) + 4 <= 110:
                out.append(f"{lead}{field}: {text}")
            else:
                out.append(f"{lead}{field}:")
                out += [f"  - {flow(v) if isinstance(v, dict) else scalar(v)}" for v in value]
        else:
            out.append(f"{lead}{field}: {scalar(value)}")
    return out


def dump_records(kind: str, items: list[tuple[str | None, dict]], preamble: str) -> str:
    lines = [preamble.rstrip(), f"{kind}:"]
    for header, rec in items:
        if header:
            lines += ["", f"  # --- {header} " + "-" * max(3, 88 - len(header))]
        lines += ["  " + line for line in record_lines(rec)]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--out", type=Path, default=Path("data/curated"))
    args = ap.parse_args()
    gold = yaml.safe_load(args.gold.read_text(encoding="utf-8"))
    (args.out / "persons.yaml").write_text(
        dump_records(
            "persons",
            build_persons(gold),
            "# Named persons, in order of first appearance in the sources.\n"
            "# label = the name as written in the sources; alt_labels = other spellings.",
        ),
        encoding="utf-8",
    )
    (args.out / "claims.yaml").write_text(
        dump_records(
            "claims",
            build_claims(gold),
            "# Claims made by statements. Every claim has a stable explicit key\n"
            "# (<type>-<file>-<item>-<what>, item = position in the listing), the statement key,\n"
            "# the source file and `quote`, the exact words. Optional `evidence` lists further\n"
            "# quotes supporting the same claim. recognised_by / demanded_by / submitted_by are the\n"
            '# organisations the text names; where the text only says "we" on a BHC listing, the\n'
            "# BHC is given and the note says so.",
        ),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
