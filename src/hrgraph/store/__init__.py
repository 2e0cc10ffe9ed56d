"""The SPARQL store behind the web layer: one protocol (`base.Store`), an embedded and a remote back-end."""
