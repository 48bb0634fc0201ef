"""Access control in front of every route (API, pages, static files and docs alike).

One ASGI middleware, so nothing can be mounted around it:

* **Token.** With a token set, a request needs ``Authorization: Bearer <token>`` or the
  ``riftwatch_token`` cookie. A browser gets the cookie by opening any URL once with
  ``?token=<token>``: the answer is a redirect to the same URL without the token (so it
  does not stay in the address bar or history) that sets the cookie HttpOnly and
  SameSite=Strict. Tokens are compared in constant time.
* **Allowed hosts.** ``riftwatch serve`` on a loopback address without a token accepts
  only loopback ``Host`` headers, so a web page cannot reach the API through DNS rebinding.
* **Read-only.** Any method but GET/HEAD/OPTIONS gets 403.
* **Body size.** A body over ``max_body_bytes`` gets 413, whether it declares its length
  or streams it chunked; the body is read (up to the limit) before the app sees it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "riftwatch_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})

_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]
_API_CSP = (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'")


def token_matches(given: str | None, token: str) -> bool:
    """Constant-time comparison (a timing side channel must not reveal the token)."""
    if not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8"))


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        token: str | None,
        read_only: bool,
        max_body_bytes: int,
        allowed_hosts: Iterable[str] | None = None,
    ) -> None:
        self.app = app
        self.token = token or None
        self.read_only = read_only
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = {h.lower() for h in allowed_hosts} if allowed_hosts else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"].upper()
        if self.allowed_hosts is not None and _host(headers) not in self.allowed_hosts:
            await _error(send, 400, "unexpected Host header: this server answers on its own name")
            return
        if self.token is not None:
            verdict = self._authorise(scope, headers)
            if verdict == "redirect":
                await self._set_cookie_redirect(scope, send)
                return
            if verdict is not None:
                status, message = verdict
                await _error(send, status, message, auth=status == 401)
                return
        if self.read_only and method not in SAFE_METHODS:
            await _error(send, 403, "this server is read-only (--read-only): writes are refused")
            return
        if method not in SAFE_METHODS:
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
                await _error(send, 413, self._too_large())
                return
            body, complete = await _read_body(receive, self.max_body_bytes)
            if not complete:
                await _error(send, 413, self._too_large())
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, _with_headers(send, scope["path"]))

    def _too_large(self) -> str:
        mb = self.max_body_bytes / (1024 * 1024)
        return (
            f"request body larger than the server's limit of {mb:.1f} MB"
            f" ({self.max_body_bytes} bytes); send fewer documents per request"
            " or start the server with a larger --max-upload-mb"
        )

    def _authorise(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | str | None:
        assert self.token is not None
        auth = headers.get("authorization", "")
        if auth:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() == "bearer" and token_matches(value.strip(), self.token):
                return None
            return 401, "invalid bearer token"
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:
            if token_matches(query["token"], self.token):
                return "redirect" if scope["method"].upper() in ("GET", "HEAD") else None
            return 401, "invalid token in the URL"
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is no credential
            cookie = SimpleCookie()
        if COOKIE in cookie:
            if token_matches(cookie[COOKIE].value, self.token):
                return None
            return 401, "invalid riftwatch_token cookie; open the page once with ?token=<token>"
        return 401, (
            "this server requires a token: send 'Authorization: Bearer <token>', or open a page"
            " once with ?token=<token>"
        )

    async def _set_cookie_redirect(self, scope: Scope, send: Send) -> None:
        assert self.token is not None
        pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        rest = urlencode([(k, v) for k, v in pairs if k != "token"])
        # the path as the client sent it: the decoded one would turn a document id's %2F
        # into a separator and put raw spaces or non-ASCII characters in the header
        raw = scope.get("raw_path")
        path = raw.decode("latin-1") if raw else quote(scope["path"])
        location = scope.get("root_path", "") + path + (f"?{rest}" if rest else "")
        cookie = SimpleCookie()
        cookie[COOKIE] = self.token
        cookie[COOKIE]["httponly"] = True
        cookie[COOKIE]["samesite"] = "Strict"
        cookie[COOKIE]["path"] = "/"
        header = cookie.output(header="").strip()
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", header.encode("latin-1")),
                    (b"content-length", b"0"),
                    (b"cache-control", b"no-store"),
                    *_HEADERS,
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def _host(headers: dict[str, str]) -> str:
    host = headers.get("host", "").lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """The request's body messages, or (partial, False) once more than ``limit`` bytes."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, True
        size += len(message.get("body", b""))
        if size > limit:
            return messages, False
        if not message.get("more_body", False):
            return messages, True


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _with_headers(send: Send, path: str) -> Send:
    extra = [*_HEADERS, _API_CSP] if path.startswith("/api/") else list(_HEADERS)

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            message["headers"] = list(message.get("headers", [])) + [
                (k, v) for k, v in extra if k not in names
            ]
        await send(message)

    return wrapped


async def _error(send: Send, status: int, detail: str, *, auth: bool = False) -> None:
    body = json.dumps({"detail": detail}).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *_HEADERS,
    ]
    if auth:
        headers.append((b"www-authenticate", b'Bearer realm="riftwatch"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install(
    app: Any,
    *,
    token: str | None,
    read_only: bool,
    max_body_bytes: int,
    allowed_hosts: Iterable[str] | None = None,
) -> None:
    """Wrap ``app`` (a FastAPI/Starlette app) in the security middleware."""
    app.add_middleware(
        SecurityMiddleware,
        token=token,
        read_only=read_only,
        max_body_bytes=max_body_bytes,
        allowed_hosts=allowed_hosts,
    )


def is_loopback(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ``::1``."""
    import ipaddress

    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve on a non-loopback address without a token (a ``ConfigError``)."""
    from ..errors import ConfigError

    if token is not None and len(token) < 16:
        raise ConfigError("the token is too short: use at least 16 characters")
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"refusing to listen on {host} without a token: anyone who can reach this"
            " machine could read and change the store. Set --token or RIFTWATCH_TOKEN"
            " (e.g. RIFTWATCH_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe())'))"
            " or keep the default --host 127.0.0.1"
        )
