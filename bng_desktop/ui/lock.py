"""The local app's lock: its server answers only the window or tab it opened.

The server listens on 127.0.0.1, but any program on this computer, and any
web page the consultant visits (through DNS rebinding or a plain form post),
could otherwise reach it. So each run makes a random secret at start-up and
hands it only to its own window or tab, in the first address it opens
(``/?bng_token=…``); that request is answered with a redirect to the same page
without the secret and an HttpOnly, SameSite=Strict cookie carrying it, which
the browser then sends with every page, upload, download and socket.io
connection. A request is let through only when

- its Host is this app's address on a loopback name (127.0.0.1, localhost,
  [::1]) with this app's port — a DNS-rebound name is refused;
- its Origin, if any, is this app's own — another site's page is refused;
- it carries the secret (the cookie, or the first address's parameter).

Anything else gets 403: a page saying how to open the app (nothing else),
or for a socket.io WebSocket a refused handshake. The check is an ASGI
middleware around the whole NiceGUI app, so it covers the socket.io mount at
``/_nicegui_ws/socket.io`` as well as every page and route.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger(__name__)

TOKEN_PARAM = "bng_token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
REFUSALS_LOGGED = 20
"""Refusals logged per reason; a page hammering the port cannot flood the log."""
POLICY_VIOLATION = 1008
"""WebSocket close code for a refused handshake (the server answers HTTP 403)."""

REFUSED_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>BNG Desktop</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 4em auto;
 line-height: 1.5; color: #222">
<h1 style="font-size: 1.4em">BNG Desktop</h1>
<p>This address belongs to BNG Desktop running on this computer. For your data's
safety it answers only the window or browser tab that BNG Desktop opened itself.</p>
<p><b>To open the app:</b> start BNG Desktop; it opens its own window (or a tab in
your browser). If it is already running without a window, open the address it
printed when it started, the one with <code>?bng_token=…</code> in it. The same
address is written in its log file.</p>
</body></html>
"""
REFUSED_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class Refusal(Enum):
    """Why a request was refused, in words for the log."""

    FOREIGN_HOST = "its Host is not this app's loopback address"
    FOREIGN_ORIGIN = "it came from another site's page"
    NO_TOKEN = "it does not carry this app's secret"


@dataclass(frozen=True)
class AppLock:
    """This run's secret and the address it guards."""

    token: str
    port: int
    host: str = "127.0.0.1"

    @classmethod
    def create(cls, port: int, host: str = "127.0.0.1") -> AppLock:
        return cls(token=secrets.token_urlsafe(32), port=port, host=host)

    @property
    def cookie_name(self) -> str:
        """Per port: cookies are shared across ports, apps on two ports must not clash."""
        return f"bng_session_{self.port}"

    @property
    def entry_path(self) -> str:
        """The first path the app's own window or tab opens."""
        return "/?" + urlencode({TOKEN_PARAM: self.token})

    @property
    def entry_url(self) -> str:
        return f"{self.base_url}{self.entry_path}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in LOOPBACK_NAMES)

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    def is_token(self, value: str | None) -> bool:
        return bool(value) and secrets.compare_digest(value.encode(), self.token.encode())

    def refusal(self, headers: Headers, url_token: str | None) -> Refusal | None:
        """None when the request may pass, else why not."""
        if headers.get("host", "").lower() not in self.hosts:
            return Refusal.FOREIGN_HOST
        origin = headers.get("origin")
        if origin is not None and origin.lower() not in self.origins:
            return Refusal.FOREIGN_ORIGIN
        cookie = cookie_parser(headers.get("cookie", "")).get(self.cookie_name)
        if not (self.is_token(cookie) or self.is_token(url_token)):
            return Refusal.NO_TOKEN
        return None

    def admission(self, scope: Scope, query: list[tuple[str, str]]) -> Response:
        """The answer to the first address: the same page without the secret,
        and the cookie that carries it from now on."""
        rest = urlencode([(k, v) for k, v in query if k != TOKEN_PARAM])
        response = RedirectResponse(scope["path"] + (f"?{rest}" if rest else ""), status_code=303)
        response.set_cookie(
            self.cookie_name, self.token, path="/", httponly=True, samesite="strict"
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


class LockMiddleware:
    """Pure ASGI, so WebSocket handshakes (socket.io) pass through it too."""

    def __init__(self, app: ASGIApp, lock: AppLock):
        self.app = app
        self.lock = lock
        self.refused: Counter[Refusal] = Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        url_token = next((v for k, v in reversed(query) if k == TOKEN_PARAM), None)
        refusal = self.lock.refusal(Headers(scope=scope), url_token)
        if refusal is not None:
            self._note(refusal, scope)
            await refuse(scope, receive, send)
        elif url_token is not None and scope["type"] == "http" and scope["method"] == "GET":
            await self.lock.admission(scope, query)(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def _note(self, refusal: Refusal, scope: Scope) -> None:
        self.refused[refusal] += 1
        count = self.refused[refusal]
        if count <= REFUSALS_LOGGED:
            more = " (no more of these are logged)" if count == REFUSALS_LOGGED else ""
            log.warning("refused a request for %s: %s%s", scope["path"], refusal.value, more)


async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": POLICY_VIOLATION})
        return
    if scope["method"] == "GET":
        response: Response = HTMLResponse(REFUSED_PAGE, status_code=403, headers=REFUSED_HEADERS)
    else:
        response = PlainTextResponse("Forbidden", status_code=403, headers=REFUSED_HEADERS)
    await response(scope, receive, send)


def install(app: ASGIApp, lock: AppLock) -> None:
    """Put the lock around the whole app (before the server starts)."""
    app.add_middleware(LockMiddleware, lock=lock)  # type: ignore[attr-defined]


def announce(lock: AppLock) -> None:
    """Say where the app is, on standard output and in the log: a user with no
    window backend, or who closed the tab, opens this address."""
    line = f"BNG Desktop is running: open {lock.entry_url}"
    with contextlib.suppress(OSError, ValueError):  # no usable console; the log has it
        print(line, flush=True)
    log.info(line)
