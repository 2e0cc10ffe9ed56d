"""Cross-referencing lists of names against the published graph: what search, the Reconciliation Service
API and the batch cross-reference of a CSV share.

    catalogue.py   the per-build index of names: persons (names.NameIndex), and organisations, statements,
                   provisions, mechanisms (names.TitleIndex), read from the published store only
    facts.py       what the graph says about persons: status, recognitions, charges, statements,
                   mechanisms, evidence (a fixed number of queries for any number of persons)
    properties.py  the properties a client may ask for or condition on (one table: reconciliation,
                   suggest, data extension and the CSV columns all read it)
    matching.py    a name plus conditions (birth year, article, ...) → scored candidates with match flags
    table.py       CSV in (encoding, header, limits, formula-like cells) and out (never a formula)
    batch.py       the rows of an uploaded list → their best matches, as rows for CSV or JSON

Data flows one way: store → catalogue/facts → matching → (web or command line). The index is built from the
published store, never from data/: a person withheld by the build (restricted) is in no store, so in no
index, and no search, suggestion, candidate or batch row can name them.
"""
