"""A small reusable threaded HTTP server for network fakes.

    with FakeServer() as srv:                    # 127.0.0.1, random port
        srv.route("POST", "/api/v1/statuses", handler)
        srv.fail_next(2, "503")                  # failure injection
        ... srv.url ... srv.requests ... srv.violations

A handler takes a :class:`FakeRequest` and returns a :class:`FakeResponse`.
Handlers record API misuse with ``srv.violation(msg)`` and answer like the
network would (usually a 400); tests assert ``srv.violations == []``.

Failure modes for :meth:`FakeServer.fail_next` (each consumes one request):
``"delay"`` (sleep ``delay`` seconds, then answer normally: the request IS
applied), ``"timeout"`` (sleep ``delay`` seconds, default 2, then close without
answering; the request is NOT applied), ``"500"``, ``"502"``, ``"503"``, ``"504"``, ``"429"`` (with
``retry_after``), ``"401"`` (the network's expired-token answer, see
``expired_token``), ``"drop"`` (read the whole request, then close the socket
without answering).
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # from the route pattern

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)

    def q(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, [default])[0]

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def multipart(self) -> dict[str, tuple[bytes, dict[str, str]]]:
        """Parse a multipart/form-data body: name -> (value bytes, part headers)."""
        ctype = self.headers.get("content-type", "")
        m = re.search(r'boundary="?([^";]+)"?', ctype)
        if not m or not ctype.startswith("multipart/form-data"):
            return {}
        boundary = b"--" + m.group(1).encode()
        parts: dict[str, tuple[bytes, dict[str, str]]] = {}
        for chunk in self.body.split(boundary)[1:]:
            if chunk.startswith(b"--"):
                break
            # each part is CRLF headers CRLF CRLF value CRLF (value may hold CRLFs)
            head, _, value = chunk.removeprefix(b"\r\n").partition(b"\r\n\r\n")
            value = value.removesuffix(b"\r\n")
            headers = {}
            for line in head.decode("utf-8", "replace").split("\r\n"):
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            name = re.search(r'name="([^"]*)"', headers.get("content-disposition", ""))
            if name:
                parts[name.group(1)] = (value, headers)
        return parts


@dataclass
class FakeResponse:
    status: int = 200
    body: Any = None  # dict/list -> JSON; bytes/str -> as is
    headers: dict[str, str] = field(default_factory=dict)

    def encode(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if isinstance(self.body, dict | list):
            data = json.dumps(self.body).encode()
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        elif isinstance(self.body, str):
            data = self.body.encode()
            headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        else:
            data = self.body or b""
        return data, headers


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class _Fault:
    mode: str
    delay: float = 0.0
    retry_after: str | None = None


class FakeServer:
    """Threaded HTTP/1.1 server on 127.0.0.1 with routes, a log and fault injection."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self.requests: list[FakeRequest] = []
        self.violations: list[str] = []
        self.keep_log = True
        server = self

        class _H(_RequestHandler):
            fake = server

        self._httpd = ThreadingHTTPServer((host, port), _H)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle
    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- configuration
    def route(self, method: str, pattern: str, handler: Handler) -> None:
        """``pattern``: a path with ``{name}`` placeholders (matching one segment,
        or ``{name:path}`` matching the rest)."""
        regex = re.sub(r"\{(\w+):path\}", r"(?P<\1>.+)", pattern)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
        self._routes.append((method.upper(), re.compile(f"^{regex}$"), handler))

    def fail_next(
        self, n: int, mode: str, *, delay: float = 0.0, retry_after: str | int | None = None
    ) -> None:
        with self._lock:
            for _ in range(n):
                self._faults.append(
                    _Fault(mode, delay, None if retry_after is None else str(retry_after))
                )

    def violation(self, message: str) -> None:
        with self._lock:
            self.violations.append(message)

    def expired_token(self, req: FakeRequest) -> FakeResponse:
        """The network's answer to an expired token; fakes override."""
        return FakeResponse(401, {"error": "The access token expired"})

    def error_body(self, status: int, message: str) -> Any:
        """The network's error body shape; fakes override."""
        return {"error": message}

    # -- request handling (called from server threads)
    def _next_fault(self) -> _Fault | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def _dispatch(self, req: FakeRequest) -> FakeResponse:
        for method, regex, handler in self._routes:
            m = regex.match(req.path)
            if m and method == req.method:
                req.params = m.groupdict()
                return handler(req)
        return FakeResponse(404, self.error_body(404, f"No route for {req.method} {req.path}"))


class _RequestHandler(BaseHTTPRequestHandler):
    fake: FakeServer
    protocol_version = "HTTP/1.1"
    # One write per response and no Nagle delay: keep-alive clients would
    # otherwise wait ~40 ms per request for a delayed ACK.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client died mid-request: a real server drops it too
            self.close_connection = True
            return
        parts = urlsplit(self.path)
        req = FakeRequest(
            self.command,
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        fake = self.fake
        if fake.keep_log:
            with fake._lock:
                fake.requests.append(req)
        fault = fake._next_fault()
        if fault is not None:
            if fault.mode == "timeout":  # never answer within the client's read timeout
                time.sleep(fault.delay or 2.0)
                fault.mode = "drop"
            if fault.mode == "drop":
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.mode == "delay":
                time.sleep(fault.delay)
                resp = fake._dispatch(req)
            elif fault.mode == "401":
                resp = fake.expired_token(req)
            elif fault.mode == "429":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                resp = FakeResponse(429, fake.error_body(429, "Too many requests"), headers)
            else:
                status = int(fault.mode)
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                resp = FakeResponse(status, fake.error_body(status, "Injected failure"), headers)
        else:
            try:
                resp = fake._dispatch(req)
            except Exception as exc:  # a bug in a fake must be visible, not a hang
                fake.violation(f"fake handler crashed: {exc!r}")
                resp = FakeResponse(500, fake.error_body(500, "fake crashed"))
        self._send(resp)

    def _send(self, resp: FakeResponse) -> None:
        data, headers = resp.encode()
        try:
            self.send_response(resp.status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _handle


def require_bearer(srv: FakeServer, req: FakeRequest, token: str) -> FakeResponse | None:
    """Check ``Authorization: Bearer <token>``; return the network's 401 if wrong."""
    auth = req.headers.get("authorization", "")
    if auth != f"Bearer {token}":
        if not auth:
            srv.violation(f"{req.method} {req.path}: missing Authorization header")
        return srv.expired_token(req)
    return None
