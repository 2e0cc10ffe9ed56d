"""`hrgraph build | ingest | synth | serve | query | xref`: exit codes 0 ok, 1 records held back, 2 input error."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from hrgraph.config import Settings
from hrgraph.errors import HrgraphError
from hrgraph.model.namespaces import CANONICAL_BASE

if TYPE_CHECKING:
    from hrgraph.store.base import Store


def _settings(args: argparse.Namespace) -> Settings:
    """The one place settings are read: defaults, HRGRAPH_* variables, then the command's arguments."""
    return Settings.from_env(
        root=Path(args.root).resolve() if getattr(args, "root", None) else None,
        base=getattr(args, "base", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
    )


def _cmd_build(args: argparse.Namespace) -> int:
    """With HRGRAPH_STORE=remote the build is also published to the remote store (HRGRAPH_VIRTUOSO_*)."""
    from hrgraph.pipeline.build import build

    settings = _settings(args).with_(inputs=tuple(Path(f).resolve() for f in args.input or ()))
    if args.publish_unreviewed:
        settings = settings.with_(publish_unreviewed=True)
    return build(settings).exit_code


def _cmd_ingest(args: argparse.Namespace) -> int:
    from hrgraph.pipeline.ingest.command import run

    return run(_settings(args), args.files, args.format, args.out, args.explain, args.report,
               register=args.register_keys)


def _cmd_review(args: argparse.Namespace) -> int:
    from hrgraph.pipeline.review.command import run

    return run(_settings(args), args)


def _cmd_synth(args: argparse.Namespace) -> int:
    from hrgraph.pipeline.synth import synth

    settings = _settings(args)
    n = synth(args.persons, Path(args.out), args.seed, settings.ontology_dir / "hrgraph.ttl", settings.base)
    print(f"hrgraph synth: {n} triples for {args.persons} persons written to {args.out}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from hrgraph.pipeline.shacl.command import run

    shapes = [Path(p) for p in args.shapes] if args.shapes else None
    return run(_settings(args), [Path(p) for p in args.data], shapes)


def _cmd_serve(args: argparse.Namespace) -> int:
    from hrgraph.web.server import serve

    serve(_settings(args))
    return 0


@contextmanager
def _published(settings: Settings) -> Iterator[Store]:
    """The published build, for a command: not followed, client queries in-process (no worker pool, so no
    time limit: Ctrl-C stops them)."""
    from hrgraph.store.backends import open_store

    stores = open_store(settings.with_(follow_s=0), workers=False)
    store = stores.checkout()
    try:
        yield store
    finally:
        stores.checkin(store)
        stores.close()


def _cmd_query(args: argparse.Namespace) -> int:
    """Without the endpoint's row caps."""
    from hrgraph.store.base import Limits
    from hrgraph.store.results import serialize

    settings = _settings(args)
    text = Path(args.query).read_text(encoding="utf-8") if Path(args.query).is_file() else args.query
    with _published(settings) as store:
        result = store.run(text, limits=Limits(settings.query_timeout_s, sys.maxsize, sys.maxsize))
    try:
        sys.stdout.buffer.write(serialize(result, args.format))
    except ValueError as exc:  # a format that does not fit the result's kind (CSV for a CONSTRUCT)
        raise HrgraphError(str(exc), hint=f"--format one of {', '.join(result.media_types)}") from None
    return 0


def _cmd_xref(args: argparse.Namespace) -> int:
    """Cross-reference a CSV of names against the last build (the same code as POST /xref). No row limit here:
    `HRGRAPH_XREF_MAX_ROWS` protects a public server, and the command line is the way for a list longer than it."""
    import json

    from hrgraph.xref import batch, table
    from hrgraph.xref.catalogue import load

    settings = _settings(args)
    try:
        data = sys.stdin.buffer.read() if args.csv == "-" else Path(args.csv).read_bytes()
        parsed = table.read(data, sys.maxsize)
    except OSError as exc:
        print(f"hrgraph xref: cannot read {args.csv}: {exc.strerror}", file=sys.stderr)
        return 2
    except table.TableError as exc:
        print(f"hrgraph xref: {args.csv}: {exc.message}", file=sys.stderr)
        return 2
    with _published(settings) as store:
        results = batch.cross_reference(load(store, settings.base), store, parsed, settings.search_max_chars)
    out = batch.to_csv(parsed, results) if args.format == "csv" else \
        json.dumps(batch.to_json(parsed, results), ensure_ascii=False, indent=1) + "\n"
    if args.out:
        Path(args.out).write_text(out, encoding="utf-8", newline="")
    else:
        sys.stdout.write(out)
    summary = ", ".join(f"{n} {s}" for s, n in batch.to_json(parsed, results)["summary"].items() if n)
    print(f"hrgraph xref: {len(results)} rows: {summary}", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hrgraph", description=__doc__)
    p.add_argument("--root", help="project folder holding data/, ontology/, shapes/ (default: here)")
    p.add_argument("--base", help=f"base IRI of the data (default {CANONICAL_BASE})")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="curated records -> RDF -> SHACL gate -> dist/ dumps and the store")
    b.add_argument("--input", nargs="+", metavar="FILE", help="RDF files (.ttl, .nt, .nq, .trig, + .gz) to add")
    b.add_argument("--publish-unreviewed", action="store_true",
                   help="also publish extracted claims no curator reviewed, marked unreviewed")
    i = sub.add_parser("ingest", help="statement pages (text or HTML) -> RDF in the project's ontology")
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--format", default="turtle", choices=["turtle", "nt", "jsonld"])
    i.add_argument("--out", help="write the RDF here (default: stdout)")
    i.add_argument("--explain", metavar="KEY", help="say why the entity KEY got its key (merges, spellings)")
    i.add_argument("--report", action="store_true", help="list every identity decision on stderr")
    i.add_argument("--register-keys", action="store_true",
                   help="save the new keys to data/keys.tsv (atomically); without it ingest writes nothing")
    r = sub.add_parser("review", help="accept, edit or reject extracted claims before they are published")
    r.add_argument("--list", action="store_true", help="list the pending candidates")
    r.add_argument("--accept", metavar="KEY")
    r.add_argument("--reject", metavar="KEY")
    r.add_argument("--edit", nargs="+", metavar="KEY field=value", help="KEY then field=value pairs")
    r.add_argument("--reason", help="why (kept with the decision)")
    r.add_argument("--by", help="the curator's name (default: $HRGRAPH_CURATOR or the login name)")
    r.add_argument("--serve", action="store_true", help="serve the review page on 127.0.0.1 instead")
    r.add_argument("--port", type=int, default=8010)
    y = sub.add_parser("synth", help="write a synthetic graph (N-Triples, valid under shapes/) for scale tests")
    y.add_argument("--persons", type=int, required=True)
    y.add_argument("--out", required=True, help="file to write (.nt or .nt.gz); source texts go beside it")
    y.add_argument("--seed", type=int, default=0)
    v = sub.add_parser("validate", help="SHACL validation report (Turtle) of RDF files: exit 0 conforms, "
                       "1 violations, 3 warnings or info only, 2 input error")
    v.add_argument("data", nargs="+", metavar="DATA", help="RDF files (.ttl, .nt, .nq, .trig, + .gz)")
    v.add_argument("--shapes", nargs="+", metavar="S", help="shapes files or folders (default: the project's "
                   "shapes/, with ontology/ added to the data)")
    s = sub.add_parser("serve", help="serve the last build (waitress)")
    s.add_argument("--host", help="address to listen on (default: HRGRAPH_HOST, else 127.0.0.1)")
    s.add_argument("--port", type=int, help="port to listen on (default: HRGRAPH_PORT, else 8000)")
    q = sub.add_parser("query", help="run a SPARQL query (text or file) on the last build")
    q.add_argument("query")
    q.add_argument("--format", default="text/csv")
    x = sub.add_parser("xref", help="cross-reference a CSV of names (column `name`; optional `birth year`, "
                       "`article`) against the last build: best matches, status, articles, evidence")
    x.add_argument("csv", help="the CSV file (- for standard input)")
    x.add_argument("--format", default="csv", choices=["csv", "json"])
    x.add_argument("--out", help="write here (default: standard output)")
    p.set_defaults()
    return p


COMMANDS = {
    "review": _cmd_review, "build": _cmd_build, "ingest": _cmd_ingest, "synth": _cmd_synth,
    "validate": _cmd_validate, "serve": _cmd_serve, "query": _cmd_query, "xref": _cmd_xref}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except HrgraphError as exc:
        print(f"hrgraph {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
