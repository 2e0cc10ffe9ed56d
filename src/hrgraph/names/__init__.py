"""Whether a stretch of text names a given person, in any spelling: the one place names are compared.

Used by restriction (pipeline/restrict.py masks every mention of a protected person), by ingest identity
(one key per person across spellings) and by person search and reconciliation. It imports nothing of ours.

    from hrgraph.names import NameIndex, in_context
    index = NameIndex()
    index.add("kiryl-paplauski", ["Kiryl Paplauski", "Кірыл Паплаўскі"])
    index.find("Кірыла Паплаўскага затрымалі")      # one Mention, form "full", entities {"kiryl-paplauski"}
    index.match("Poplavsky Kirill")                  # {"kiryl-paplauski"}
    index.lookup("kirill poplavskiy")                # [Match("kiryl-paplauski", score, "Kiryl Paplauski")]

What is equal, from the letter up:
- fold.py: case, diacritics and invisible characters; homoglyphs (a Cyrillic "К" in a Latin word, a digit
  "0" for an "o"; table: confusable-homoglyphs); Cyrillic → Latin (anyascii) after the letters of Łacinka,
  the national 2007 system, ISO 9 and ALA-LC are spelled out ("č" → "ch", "ŭ" → "u", "â" → "ia").
- keys.py: a surname's key undoes the romanisations' disagreements (BGN/PCGN, Russian-style, English, Polish
  spellings) and keeps its consonants, so inflected forms ("Паплаўскага", "Klimovichs") and spellings nobody
  listed share it; a given name's key is its group in given.py (Кірыл / Kirill / Kiryl) when listed.
- index.py: people by those keys; mentions in running text, slugs and IRIs in time linear in the text;
  fuzzy scores (rapidfuzz) only to rank look-ups and to flag a misspelt name beside a known given name.
"""

from hrgraph.names.fold import fold
from hrgraph.names.index import Match, Mention, Name, NameIndex, given_mentions, in_context, parse, tokens
from hrgraph.names.keys import given_groups, surname_key, word_keys
from hrgraph.names.titles import TitleIndex

__all__ = ["Match", "Mention", "Name", "NameIndex", "fold", "given_groups", "given_mentions", "in_context",
           "parse", "surname_key", "tokens", "word_keys", "TitleIndex"]
