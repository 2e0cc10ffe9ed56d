"""Headers that make every response safer to render, and no debug mode.

- `Content-Security-Policy`: only this origin's scripts, styles, images, fonts and connections; no
  plugins, no framing, no `<base>` rewriting, forms post only here. Inline `<script>` blocks of our own
  templates are allowed by their SHA-256 hash, computed from the page as sent, so a script an attacker
  manages to inject (a label holding `<script>`, were it ever unescaped) does not run. Styles allow
  `'unsafe-inline'`: YASGUI (CodeMirror) sets `style=` attributes and injects `<style>` at run time, and
  an injected style cannot run code. YASGUI needs no `eval` (its one `eval` is a JSON fallback for old
  browsers).
- `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (a query in a URL is nobody's business),
  `X-Frame-Options: DENY` for old browsers, `Cross-Origin-Opener-Policy: same-origin`.
- `app.debug` is forced off: `serve` runs waitress with no debugger, whatever FLASK_DEBUG says.
"""

from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response

INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
DATA_TYPES = (b"application/json", b"application/ld+json")
BASE_POLICY = ("default-src 'self'", "img-src 'self' data:", "style-src 'self' 'unsafe-inline'",
               "font-src 'self' data:", "connect-src 'self'", "object-src 'none'", "base-uri 'none'",
               "frame-ancestors 'none'", "form-action 'self'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def script_hashes(html: bytes) -> list[str]:
    """CSP sources for the executable inline scripts of a page (JSON data blocks need none)."""
    out = []
    for match in INLINE_SCRIPT.finditer(html):
        opening = match.group(0)[: match.start(1) - match.start(0)].lower()
        if any(t in opening for t in DATA_TYPES):
            continue
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        out.append(f"'sha256-{digest}'")
    return sorted(set(out))


def policy(response: Response) -> str:
    scripts = ["'self'"]
    if response.mimetype == "text/html" and not response.direct_passthrough and not response.is_streamed:
        scripts += script_hashes(response.get_data())
    return "; ".join((*BASE_POLICY, "script-src " + " ".join(scripts)))


def add_headers(response: Response) -> Response:
    framable = getattr(response, "hrgraph_framable", False)  # a reconciliation preview, shown in a client's iframe
    csp = policy(response)
    response.headers["Content-Security-Policy"] = csp.replace("frame-ancestors 'none'", "frame-ancestors *") \
        if framable else csp
    for key, value in HEADERS.items():
        if not (framable and key == "X-Frame-Options"):
            response.headers.setdefault(key, value)
    return response


def install(app: Flask) -> None:
    app.debug = False
    app.config["DEBUG"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.after_request(add_headers)
