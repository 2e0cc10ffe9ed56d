"""Reference data of the field: organisations, instruments, mechanisms, places and sites, with their variants.

Patterns are regular expressions in which a space matches any whitespace (the pages contain no-break spaces)
and `Q` matches an optional quotation mark of any style. Nothing here names a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

Q = r"[“”\"«»„‘’']?"


def compile_variants(*patterns: str) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(r"(?<![\w])(?:" + body.replace(" ", r"[\s\u00a0]+").replace("Q", Q) + r")(?![\w])")


@dataclass(frozen=True)
class Entry:
    kind: str  # organisations, mechanisms, instruments, places
    label: str
    pattern: re.Pattern[str]
    fields: dict[str, object] = field(default_factory=dict)
    needs: str = ""  # the entry counts only in a document that also matches this pattern (a context word)


def _e(of: str, label: str, patterns: tuple[str, ...], needs: str = "", **fields: object) -> Entry:
    return Entry(of, label, compile_variants(*patterns), dict(fields), needs)


ORGANISATIONS = [
    _e("organisations", "Human Rights Center “Viasna”", (
        r"Human Rights Cent(?:er|re) QViasnaQ", r"Viasna Human Rights Cent(?:er|re)", r"Viasna HRC",
        r"HRC QViasnaQ", r"Viasna"), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Belarusian Helsinki Committee", (r"Belarusian Helsinki Committee", r"BHC"),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Belarusian Association of Journalists", (r"Belarusian Association of Journalists", "BAJ"),
       **{"class": "Association"}),
    _e("organisations", "PEN Belarus", (r"PEN Belarus", r"Belarusian PEN(?: Cent(?:er|re))?", r"PEN-Cent(?:er|re)"),
       **{"class": "Association"}),
    _e("organisations", "Moscow Helsinki Group", (r"Moscow Helsinki Group", r"MHG"),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Civic Solidarity Platform", (r"Civic Solidarity Platform",),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "International Society “Memorial”", (r"International Society QMemorialQ",),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Human Rights Center “Memorial”", (r"Human Rights Cent(?:er|re) QMemorialQ",),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Sakharov Center", (r"Sakharov Cent(?:er|re)",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Office for the Rights of Persons with Disabilities",
       (r"Office for the Rights of (?:Persons|People) with Disabilities",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Barys Zvozskau Belarusian Human Rights House",
       (r"Barys Zvozskau Belarusian Human Rights House", r"Belarusian Human Rights House"),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Legal Initiative", (r"QLegal InitiativeQ",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Human Constanta", (r"QHuman ConstantaQ",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Lawtrend", (r"QLawtrendQ",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Belarusian Documentation Center", (r"Belarusian Documentation Cent(?:er|re)",),
       **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "International Federation for Human Rights",
       (r"International Federation for Human Rights", r"FIDH"), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "World Organisation Against Torture",
       (r"World Organi[sz]ation Against Torture", r"OMCT"), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Amnesty International", (r"Amnesty International",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Human Rights Watch", (r"Human Rights Watch",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Front Line Defenders", (r"Front Line Defenders",), **{"class": "HumanRightsOrganisation"}),
    _e("organisations", "Belarusian human rights community", (
        r"Belarusian human rights community", r"human rights community of (?:the Republic of )?Belarus"),
       **{"class": "Organisation"}),
    _e("organisations", "State Security Committee of Belarus (KGB)", (r"KGB", r"State Security Committee"),
       **{"class": "StateBody"}),
    _e("organisations", "Belarusian authorities", (r"Belarusian authorities",), **{"class": "StateBody"}),
    _e("organisations", "Authorities of the Russian Federation",
       (r"authorities of the Russian Federation", r"Russian authorities"), **{"class": "StateBody"}),
    _e("organisations", "Belarusian State University", (r"Belarusian State University", r"BSU"),
       **{"class": "Organisation"}),
    _e("organisations", "Belarusian Republican Youth Union", (r"Belarusian Republican Youth Union", r"BRSM"),
       **{"class": "Association"}),
    _e("organisations", "Council of Europe", (r"Council of Europe", r"CoE"),
       **{"class": "InternationalOrganisation"}),
    _e("organisations", "United Nations", (r"United Nations",), **{"class": "InternationalOrganisation"}),
    _e("organisations", "Ministry of Internal Affairs of Belarus", (r"Ministry of Internal Affairs", r"MVD"),
       **{"class": "StateBody"}),
    _e("organisations", "Investigative Committee of Belarus", (r"Investigative Committee",), **{"class": "StateBody"}),
    _e("organisations", "Supreme Court of Belarus", (r"Supreme Court(?: of (?:the Republic of )?Belarus)?",),
       **{"class": "Court"}),
]

INSTRUMENTS = [
    _e("instruments", "Criminal Code of the Republic of Belarus",
       (r"Criminal Code(?: of the Republic of Belarus| of Belarus)?",), **{"class": "Code"}),
    _e("instruments", "Code of Administrative Offences of the Republic of Belarus",
       (r"Code of Administrative Offen[cs]es(?: of the Republic of Belarus)?", r"Administrative Code"),
       **{"class": "Code"}),
    _e("instruments", "Criminal Procedure Code of the Republic of Belarus", (r"Criminal Procedure Code",),
       **{"class": "Code"}),
    _e("instruments", "Constitution of the Republic of Belarus", (r"Constitution of (?:the Republic of )?Belarus",),
       **{"class": "Constitution"}),
    _e("instruments", "International Covenant on Civil and Political Rights",
       (r"International Covenant on Civil and Political Rights", r"ICCPR"), **{"class": "Treaty"}),
    _e("instruments", "European Convention for the Protection of Human Rights and Fundamental Freedoms",
       (r"European Convention for the Protection of Human Rights and Fundamental Freedoms",
        r"European Convention on Human Rights", r"ECHR"), **{"class": "Treaty"}),
    _e("instruments", "Universal Declaration of Human Rights", (r"Universal Declaration of Human Rights", r"UDHR"),
       **{"class": "Treaty"}),
    _e("instruments", "Convention against Torture", (r"Convention against Torture",), **{"class": "Treaty"}),
    _e("instruments", "Guidelines on the Definition of Political Prisoners", (
        r"Guidelines on the Definition of Political Prisoners",
        r"guidelines adopted by the human rights community on the definition of a Qpolitical prisonerQ"),
       **{"class": "Guidelines"}),
    _e("instruments", "Law of the Republic of Belarus “On Mass Events”", (r"Law QOn Mass EventsQ",),
       **{"class": "Law"}),
]

# Mechanisms with a fixed name; numbered sessions, mandates and action plans are built by recognise.py.
MECHANISMS = [
    _e("mechanisms", "UN Human Rights Council", (r"(?:UN |United Nations )?Human Rights Council",),
       **{"class": "CharterBody", "kind": "charter-body"}),
    _e("mechanisms", "UN Special Procedures", (r"(?:UN |United Nations )?Special Procedures",),
       **{"class": "SpecialProcedure", "kind": "special-procedures-system", "part_of": "UN Human Rights Council"}),
    _e("mechanisms", "Working Group on Arbitrary Detention", (r"(?:UN )?Working Group on Arbitrary Detention",
                                                              r"WGAD"),
       **{"class": "SpecialProcedure", "kind": "working-group", "part_of": "UN Special Procedures"}),
    _e("mechanisms", "UN Human Rights Committee", (r"(?:UN |United Nations )?Human Rights Committee",),
       **{"class": "TreatyBody", "kind": "treaty-body"}),
    _e("mechanisms", "UN Committee against Torture", (r"(?:UN )?Committee against Torture",),
       **{"class": "TreatyBody", "kind": "treaty-body"}),
    _e("mechanisms", "Universal Periodic Review", (r"Universal Periodic Review", r"UPR"),
       **{"class": "CharterBody", "kind": "upr", "part_of": "UN Human Rights Council"}),
    _e("mechanisms", "Office of the UN High Commissioner for Human Rights", (
        r"Office of the (?:UN |United Nations )?High Commissioner for Human Rights", r"OHCHR"),
       **{"class": "Mechanism"}),
    _e("mechanisms", "Group of Independent Experts on the human rights situation in Belarus", (
        r"Group of Independent Experts on (?:the human rights situation in )?Belarus",),
       **{"class": "Mechanism", "kind": "investigative-body", "part_of": "UN Human Rights Council"}),
    _e("mechanisms", "OSCE Moscow Mechanism", (r"(?:OSCE )?Moscow Mechanism",),
       **{"class": "RegionalMechanism", "kind": "osce-mechanism"}),
    _e("mechanisms", "Council of Europe", (r"Council of Europe", r"CoE"),
       **{"class": "RegionalMechanism", "kind": "coe-body"}),
    _e("mechanisms", "Parliamentary Assembly of the Council of Europe", (
        r"Parliamentary Assembly of the Council of Europe", r"PACE"),
       **{"class": "RegionalMechanism", "kind": "coe-body", "part_of": "Council of Europe"}),
    _e("mechanisms", "European Court of Human Rights", (r"European Court of Human Rights", r"ECtHR"),
       **{"class": "RegionalMechanism", "kind": "coe-body", "part_of": "Council of Europe"}),
    _e("mechanisms", "Contact Group of the Council of Europe and the Belarusian democratic forces",
       (r"Contact Group",), needs=r"Council of Europe|CoE",
       **{"class": "RegionalMechanism", "kind": "coe-body", "part_of": "Council of Europe"}),
]

# Special rapporteurs and independent experts by mandate: a phrase of the mandate -> the mandate's title.
MANDATES = [
    (r"situation of human rights in (?P<country>[A-Z]\w+)", "Special Rapporteur on the situation of human rights in "
                                                              "{country}", "country-mandate"),
    (r"freedom of opinion and expression", "Special Rapporteur on the promotion and protection of the right to "
                                           "freedom of opinion and expression", "thematic-mandate"),
    (r"peaceful assembly", "Special Rapporteur on the rights to freedom of peaceful assembly and of association",
     "thematic-mandate"),
    (r"human rights defenders", "Special Rapporteur on the situation of human rights defenders", "thematic-mandate"),
    (r"torture", "Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment",
     "thematic-mandate"),
    (r"independence of judges", "Special Rapporteur on the independence of judges and lawyers", "thematic-mandate"),
    (r"older persons", "Independent Expert on the enjoyment of all human rights by older persons",
     "thematic-mandate"),
]

COUNTRIES = ("Belarus", "Russia", "Russian Federation", "Ukraine", "Lithuania", "Poland", "Latvia", "Georgia")
CITIES = ("Minsk", "Brest", "Hrodna", "Grodno", "Homiel", "Gomel", "Mahilioŭ", "Mahiliou", "Mogilev", "Viciebsk",
          "Vitebsk", "Babruisk", "Bobruisk", "Baranavichy", "Pinsk", "Navapolatsk", "Orsha", "Mazyr", "Salihorsk",
          "Lida", "Barysau", "Zhodzina", "Shklou", "Horki", "Ivatsevichy", "Vićba", "Vitba", "Navapolack",
          "Maladzechna", "Slutsk", "Kobryn", "Svetlahorsk", "Rechytsa", "Zhlobin", "Polatsk", "Vilnius", "Warsaw")
CITY_ALIASES = {"Grodno": "Hrodna", "Gomel": "Homiel", "Mogilev": "Mahilioŭ", "Mahiliou": "Mahilioŭ",
                "Vitebsk": "Viciebsk", "Bobruisk": "Babruisk", "Vitba": "Vićba", "Navapolack": "Navapolatsk",
                "Russian Federation": "Russia"}

# Sites whose owner publishes what a page without a byline says ("we"): the domain -> the organisation.
SITES = {"belhelcom.org": "Belarusian Helsinki Committee", "spring96.org": "Human Rights Center “Viasna”",
         "baj.by": "Belarusian Association of Journalists", "penbelarus.org": "PEN Belarus"}

ORG_HEADS = r"(?:Committee|Cent(?:er|re)|Association|Union|Group|Platform|House|Foundation|Society|Initiative|" \
            r"Network|Institute|Coalition|Movement|Party)"
GENERIC_ORG = re.compile(
    r"(?<![\w])(?:[A-Z][\w’'-]*[\s\u00a0]+(?:(?:of|for|the|and|on|in)[\s\u00a0]+)*){1,5}" + ORG_HEADS +
    r"(?:[\s\u00a0]+Q?[A-Z][\w-]+Q?)?(?![\w])".replace("Q", Q))
COURT = re.compile(r"(?<![\w])(?P<name>[A-Z][\w-]+ (?:District|Regional|City|Military) Court(?: of (?P<city>[A-Z]\w+)"
                   r"(?: Region)?)?)".replace(" ", r"[\s\u00a0]+"))
