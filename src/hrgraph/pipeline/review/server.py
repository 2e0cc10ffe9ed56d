"""The review page: a small Flask app on 127.0.0.1 only, started by `hrgraph review --serve`, never part of the
public app (web/ does not import it). Each candidate is shown beside its source text with the quote highlighted;
accept, edit or reject posts a form. Guarded as a local tool should be: it binds loopback only, answers only
requests whose Host is loopback (DNS rebinding), and every form carries a token minted at start (a page of another
site cannot post decisions through the curator's browser).
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

from flask import Flask, abort, redirect, render_template_string, request
from werkzeug.serving import make_server

from hrgraph.config import Settings
from hrgraph.pipeline.review.command import EDITABLE, Workspace, parse_changes

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Review extracted claims</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em}
.c{border:1px solid #ccc;border-radius:6px;padding:1em;margin:1em 0}.src{background:#f7f7f7;padding:.6em;
white-space:pre-wrap;font-family:Georgia,serif}mark{background:#ffe066;font-weight:600}.meta{color:#555}
.warn{color:#a40000;font-weight:600}form{display:inline-block;margin:.3em .6em .3em 0}
details{margin-top:.5em}input[type=text]{width:24em}</style></head><body>
<h1>Review extracted claims</h1>
<p class="meta">{{ n }} candidate(s) pending. Curator: <b>{{ curator }}</b>. Decisions are written to
<code>{{ where }}</code>. Nothing here is published until you accept it.</p>
{% if message %}<p role="status"><b>{{ message }}</b></p>{% endif %}
{% for c in items %}<div class="c" id="{{ c.key }}">
<p><b>{{ c.what }}</b><br><span class="meta">{{ c.key }} · rule {{ c.rule }} · confidence {{ c.confidence }}</span></p>
{% if c.disputed %}<p class="warn">Disagrees with curated {{ c.disputed }}</p>{% endif %}
{% for e in c.evidence %}<div class="src"><span class="meta">{{ e.file }}</span>
…{{ e.before }}<mark>{{ e.quote }}</mark>{{ e.after }}…</div>{% endfor %}
<form method="post" action="decide"><input type="hidden" name="token" value="{{ token }}">
<input type="hidden" name="key" value="{{ c.key }}"><button name="action" value="accept">Accept</button></form>
<form method="post" action="decide"><input type="hidden" name="token" value="{{ token }}">
<input type="hidden" name="key" value="{{ c.key }}"><input type="text" name="reason" placeholder="why (optional)"
 aria-label="reason"><button name="action" value="reject">Reject</button></form>
<details><summary>Edit, then accept</summary><form method="post" action="decide">
<input type="hidden" name="token" value="{{ token }}"><input type="hidden" name="key" value="{{ c.key }}">
{% for name, value in c.fields %}<p><label>{{ name }} <input type="text" name="f.{{ name }}" value="{{ value }}">
</label></p>{% endfor %}<button name="action" value="edit">Save edit and accept</button></form></details>
</div>{% else %}<p>Nothing to review.</p>{% endfor %}</body></html>"""


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def create_app(ws: Workspace, curator: str) -> Flask:
    app = Flask(__name__)
    token = secrets.token_urlsafe(24)
    lock = threading.Lock()

    @app.before_request
    def _loopback_only() -> None:
        host = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host.split("]")[0] + "]"
        if host not in LOOPBACK:
            abort(403)

    @app.get("/")
    def index() -> str:
        items = []
        for r in ws.candidates():
            evidence = []
            for ev in r.evidence:
                file, before, quote, after = ws.context(ev)
                evidence.append({"file": file, "before": before, "quote": quote, "after": after})
            disputed = ws.selection.disputed.get(r.key)
            items.append({"key": r.key, "what": ws.describe(r), "rule": r.fields.get("extracted_by"),
                          "confidence": r.fields.get("confidence"), "evidence": evidence,
                          "disputed": ws.masker.redact(disputed.ref()) if disputed else "",
                          "fields": [(k, _shown(r.fields.get(k))) for k in EDITABLE if k in r.fields]})
        return render_template_string(PAGE, items=items, n=len(items), curator=curator, token=token,
                                      where=ws.settings.curated_dir / "reviews.yaml", message=request.args.get("m"))

    @app.post("/decide")
    def decide() -> Any:
        if not secrets.compare_digest(request.form.get("token", ""), token):
            abort(403)
        key, action = request.form.get("key", ""), request.form.get("action", "")
        decision = {"accept": "accepted", "reject": "rejected", "edit": "edited"}.get(action)
        if decision is None:
            abort(400)
        candidate = ws.find(key)
        if candidate is None:
            abort(404)
        changes = None
        if decision == "edited":
            try:
                changes = parse_changes([f"{k[2:]}={v}" for k, v in request.form.items() if k.startswith("f.")])
            except ValueError as exc:
                return redirect(f"./?m={exc}", code=303)
            changes = {k: v for k, v in changes.items() if _shown(candidate.fields.get(k)) != _shown(v)}
        with lock:
            ws.decide(key, decision, curator, changes, request.form.get("reason", ""))
        return redirect(f"./?m={decision}: {key}", code=303)

    return app


class ReviewServer:
    """The review page served on 127.0.0.1 in a thread (port 0: a free one)."""

    def __init__(self, settings: Settings, port: int, curator: str, ws: Workspace | None = None) -> None:
        self.app = create_app(ws or Workspace.load(settings), curator)
        self.server = make_server("127.0.0.1", port, self.app, threaded=True)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> ReviewServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


def serve(settings: Settings, port: int, curator: str) -> None:
    srv = ReviewServer(settings, port, curator)
    print(f"hrgraph review: http://127.0.0.1:{srv.port}/ (loopback only; Ctrl-C to stop)", flush=True)
    try:
        srv.server.serve_forever()
    except KeyboardInterrupt:
        pass
