"""The syntaxes hrgraph writes: the one media-type table (`media`) and the JSON-LD writer (`jsonld`).

Imports nothing of ours beyond `hrgraph.model`; the store, the pipeline and the web layer all use it, so the
dump and a resource's page are written by the same code.
"""
