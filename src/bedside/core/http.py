"""The one outbound HTTP client. All outbound HTTP in Bedside goes through it.

What it guarantees:

* explicit connect and read timeouts;
* SSRF checks: http/https only, no credentials in URLs, every resolved address
  checked (loopback, private, ULA, link-local incl. 169.254.169.254, multicast,
  reserved, unspecified are refused unless inside an allowed network) at the
  moment the socket is opened, to the address that was checked (DNS-rebinding
  safe, see :mod:`bedside.core.netguard`); environment proxies are ignored,
  since a proxy would make pinning impossible;
* redirects followed by hand (at most 5), each hop re-checked; credentials are
  dropped on a cross-origin hop;
* a response size cap enforced while streaming;
* no secret in an error message, ``repr`` or log line;
* every failure classified: :class:`RetryableError` (nothing was created, try
  again later), :class:`TerminalError` (will not work until a person acts),
  :class:`UnknownOutcomeError` (the request may have been applied).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import certifi
import httpcore
import httpx

from bedside.core import netguard
from bedside.core.http_errors import (
    SAFE_METHODS,
    UNAPPLIED_5XX,
    HttpError,
    Response,
    ResponseTooLargeError,
    RetryableError,
    TerminalError,
    TerminalKind,
    UnknownOutcomeError,
    UnsafeURLError,
    classify_status,
    parse_retry_after,
    user_message_for,
)
from bedside.core.redact import install_log_redaction, redact, secrets_from_headers

__all__ = [
    "SAFE_METHODS",
    "UNAPPLIED_5XX",
    "HttpClient",
    "HttpError",
    "Response",
    "TerminalKind",
    "ResponseTooLargeError",
    "RetryableError",
    "TerminalError",
    "UnknownOutcomeError",
    "UnsafeURLError",
    "check_url",
    "classify_status",
    "parse_retry_after",
]

logger = logging.getLogger("bedside.http")
install_log_redaction("bedside.http", "httpx", "httpcore")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def check_url(url: str, *, allowed_networks: Sequence[str] | str | None = None) -> None:
    """Validate a URL now (e.g. a webhook URL when a channel is saved).

    Raises UnsafeURLError if the scheme, credentials or any resolved address is
    refused; RetryableError if the host does not resolve. The client checks again
    at every connection, so this is a friendly early error, not the guard itself.
    """
    allowed = (
        netguard.parse_networks(allowed_networks)
        if allowed_networks is not None
        else netguard.configured_allowed_networks()
    )
    try:
        netguard.check_url_shape(url)
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        netguard.resolve_checked(parts.hostname or "", port, allowed)
    except netguard.AddressRefused as exc:
        raise UnsafeURLError(exc.message) from None
    except httpcore.ConnectError as exc:
        raise RetryableError(str(exc)) from None


# --------------------------------------------------------------------------- client


class _PinnedTransport(httpx.HTTPTransport):
    """httpx transport whose connection pool opens sockets through PinnedBackend."""

    def __init__(self, backend: netguard.PinnedBackend, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx offers no public hook for the network backend, so the pool is
        # rebuilt with one. tests/core/test_http.py proves the pinning works, so
        # an httpx upgrade that changes this fails loudly.
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=20,
            max_keepalive_connections=10,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=backend,
        )


@dataclass
class _Call:
    method: str
    url: str
    headers: dict[str, str]
    content: bytes | None
    secrets: list[str] = field(default_factory=list)


class HttpClient:
    """Synchronous outbound HTTP client. Thread-safe; reuse one per worker.

    ``allowed_networks``: CIDRs (list or comma-separated) where private addresses
    are allowed; default from settings / BEDSIDE_ALLOWED_PRIVATE_NETWORKS, empty.
    ``transport``: for tests only; bypasses the pinned transport (SSRF checks on
    URLs still apply, address pinning does not).
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        write_timeout: float = 20.0,
        max_response_bytes: int = 5 * 1024 * 1024,
        max_redirects: int = 5,
        allowed_networks: Sequence[str] | str | None = None,
        resolver: netguard.Resolver = netguard.system_resolver,
        user_agent: str = "Bedside/0.1 (+https://bedside.invalid)",
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.allowed = (
            netguard.parse_networks(allowed_networks)
            if allowed_networks is not None
            else netguard.configured_allowed_networks()
        )
        self.max_response_bytes = max_response_bytes
        self.max_redirects = max_redirects
        self.resolver = resolver
        ctx = ssl.create_default_context(cafile=certifi.where())
        self._client = httpx.Client(
            transport=transport
            or _PinnedTransport(netguard.PinnedBackend(self.allowed, resolver), ctx),
            timeout=httpx.Timeout(
                connect=connect_timeout,
                read=read_timeout,
                write=write_timeout,
                pool=connect_timeout,
            ),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": user_agent},
        )

    # -- public API -----------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Mapping[str, Any] | None = None,
        content: bytes | None = None,
        secrets: Iterable[str | None] = (),
        service: str = "",
        raise_for_status: bool = True,
        max_response_bytes: int | None = None,
        unapplied_5xx: frozenset[int] = UNAPPLIED_5XX,
    ) -> Response:
        """Send one request; return the Response or raise a classified HttpError.

        ``secrets``: extra strings to redact (tokens in bodies, passwords).
        With ``raise_for_status=False`` a non-2xx Response is returned so the
        connector can read the network's error body, then call :meth:`raise_for`.
        Transport failures are always raised.
        """
        method = method.upper()
        all_secrets = [s for s in secrets if s] + secrets_from_headers(dict(headers or {}))
        for value in (params or {}).values():
            if isinstance(value, str) and len(value) >= 16:  # tokens passed as params
                all_secrets.append(value)
        request = self._client.build_request(
            method,
            url,
            headers=headers,
            params=params,
            json=json,
            data=data,
            files=files,
            content=content,
        )
        request.read()  # multipart bodies are streams; read once so redirects can resend
        call = _Call(method, str(request.url), dict(request.headers), None, all_secrets)
        response = self._send_following_redirects(request, call, service, max_response_bytes)
        if raise_for_status:
            self.raise_for(
                response,
                method=method,
                service=service,
                secrets=all_secrets,
                unapplied_5xx=unapplied_5xx,
            )
        return response

    def get(self, url: str, **kw: Any) -> Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw: Any) -> Response:
        return self.request("POST", url, **kw)

    def put(self, url: str, **kw: Any) -> Response:
        return self.request("PUT", url, **kw)

    def delete(self, url: str, **kw: Any) -> Response:
        return self.request("DELETE", url, **kw)

    def stream_lines(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        service: str = "",
        secrets: Iterable[str | None] = (),
        max_line_bytes: int = 1024 * 1024,
    ) -> Iterator[bytes]:
        """GET a long-lived response (server-sent events) and yield its lines as they come.

        Same SSRF checks and address pinning as :meth:`request`. Redirects are not
        followed (one raises TerminalError). ``read_timeout`` applies between
        chunks, so a silent stream raises RetryableError; a line longer than
        ``max_line_bytes`` raises ResponseTooLargeError; a non-2xx answer raises
        the classified error. Lines are yielded without their line ending.
        """
        all_secrets = [s for s in secrets if s] + secrets_from_headers(dict(headers or {}))
        call = _Call("GET", url, dict(headers or {}), None, all_secrets)
        self._check_shape(url, call, service)
        request = self._client.build_request("GET", url, headers=headers, params=params)
        where = f"GET {request.url.scheme}://{request.url.host}{request.url.path}"
        try:
            resp = self._client.send(request, stream=True)
            try:
                if resp.status_code >= 300:
                    body = b""
                    for chunk in resp.iter_bytes():
                        body += chunk
                        if len(body) > 65536:
                            break
                    answer = Response(resp.status_code, resp.headers, body, str(request.url))
                    if resp.status_code < 400:
                        raise TerminalError(
                            f"{where} answered a redirect; streams are not redirected",
                            kind="config",
                            service=service,
                            secrets=all_secrets,
                        )
                    self.raise_for(answer, method="GET", service=service, secrets=all_secrets)
                pending = b""
                for chunk in resp.iter_bytes():
                    pending += chunk
                    *lines, pending = pending.split(b"\n")
                    for line in lines:
                        yield line.removesuffix(b"\r")
                    if len(pending) > max_line_bytes:
                        raise self._too_large(where, max_line_bytes, call, service)
                if pending:
                    yield pending
            finally:
                resp.close()
        except netguard.AddressRefused as exc:
            raise UnsafeURLError(exc.message, service=service, secrets=all_secrets) from None
        except httpx.TimeoutException as exc:
            raise self._timeout_error(exc, where, True, call, service) from None
        except httpx.TransportError as exc:
            raise self._transport_error(exc, where, True, call, service) from None

    @staticmethod
    def raise_for(
        response: Response,
        *,
        method: str,
        service: str = "",
        reason: str = "",
        secrets: Iterable[str | None] = (),
        unapplied_5xx: frozenset[int] = UNAPPLIED_5XX,
    ) -> None:
        """Raise the classified error for a non-2xx response (see classify_status)."""
        error = classify_status(
            response,
            method=method,
            service=service,
            reason=reason,
            secrets=secrets,
            unapplied_5xx=unapplied_5xx,
        )
        if error is not None:
            raise error

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------

    def _send_following_redirects(
        self, request: httpx.Request, call: _Call, service: str, cap: int | None
    ) -> Response:
        for _hop in range(self.max_redirects + 1):
            self._check_shape(str(request.url), call, service)
            response = self._send_once(request, call, service, cap or self.max_response_bytes)
            location = response.headers.get("location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response
            request = self._redirect_request(request, response.status_code, location)
            call.method = request.method
            call.url = str(request.url)
        raise TerminalError(
            f"Too many redirects (more than {self.max_redirects}) from {service or 'remote'}",
            kind="config",
            user_message=user_message_for("config", service, "it redirects too many times"),
            service=service,
            secrets=call.secrets,
        )

    def _check_shape(self, url: str, call: _Call, service: str) -> None:
        try:
            netguard.check_url_shape(url)
        except netguard.AddressRefused as exc:
            raise UnsafeURLError(exc.message, service=service, secrets=call.secrets) from None

    def _redirect_request(
        self, request: httpx.Request, status: int, location: str
    ) -> httpx.Request:
        target = urljoin(str(request.url), location)
        method = request.method
        body: bytes | None = request.content
        if status == 303 or (status in (301, 302) and method == "POST"):
            method, body = ("GET" if method != "HEAD" else "HEAD"), None
        headers = dict(request.headers)
        headers.pop("host", None)
        if body is None:
            for name in ("content-length", "content-type", "transfer-encoding"):
                headers.pop(name, None)
        old, new = urlsplit(str(request.url)), urlsplit(target)
        if (old.scheme, old.hostname, old.port) != (new.scheme, new.hostname, new.port):
            for name in list(headers):
                if name.lower() in ("authorization", "cookie", "proxy-authorization"):
                    headers.pop(name)
        self._check_shape(target, _Call(method, target, {}, None), "")
        return self._client.build_request(method, target, headers=headers, content=body)

    def _send_once(self, request: httpx.Request, call: _Call, service: str, cap: int) -> Response:
        started = time.monotonic()
        safe = request.method in SAFE_METHODS
        where = f"{request.method} {request.url.scheme}://{request.url.host}{request.url.path}"
        try:
            resp = self._client.send(request, stream=True)
            try:
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise self._too_large(where, cap, call, service)
                chunks: list[bytes] = []
                size = 0
                # Decoded bytes are counted, so a small gzip bomb is cut off too.
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise self._too_large(where, cap, call, service)
                    chunks.append(chunk)
                body = b"".join(chunks)
            finally:
                resp.close()
        except netguard.AddressRefused as exc:
            raise UnsafeURLError(exc.message, service=service, secrets=call.secrets) from None
        except httpx.TimeoutException as exc:
            raise self._timeout_error(exc, where, safe, call, service) from None
        except httpx.TransportError as exc:
            raise self._transport_error(exc, where, safe, call, service) from None
        elapsed = time.monotonic() - started
        logger.info("%s -> %s in %.2fs", redact(where, call.secrets), resp.status_code, elapsed)
        return Response(resp.status_code, resp.headers, body, str(request.url))

    def _too_large(self, where: str, cap: int, call: _Call, service: str) -> HttpError:
        message = f"Response to {where} exceeded the {cap}-byte limit; aborted"
        return ResponseTooLargeError(message, service=service, secrets=call.secrets)

    def _timeout_error(
        self, exc: httpx.TimeoutException, where: str, safe: bool, call: _Call, service: str
    ) -> HttpError:
        kw: dict[str, Any] = {"service": service, "secrets": call.secrets}
        if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
            return RetryableError(f"Connect timeout for {where}", **kw)
        if safe:
            return RetryableError(f"Timeout reading the answer to {where}", **kw)
        return UnknownOutcomeError(
            f"Timeout after sending {where}; the request may have been applied", **kw
        )

    def _transport_error(
        self, exc: httpx.TransportError, where: str, safe: bool, call: _Call, service: str
    ) -> HttpError:
        kw: dict[str, Any] = {"service": service, "secrets": call.secrets}
        text = redact(str(exc) or type(exc).__name__, call.secrets)
        if isinstance(exc, httpx.ConnectError):
            return RetryableError(f"Could not connect for {where}: {text}", **kw)
        if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
            return TerminalError(f"Bad request for {where}: {text}", kind="config", **kw)
        if safe:
            return RetryableError(f"Connection lost during {where}: {text}", **kw)
        return UnknownOutcomeError(
            f"Connection lost after sending {where}; the request may have been applied: {text}",
            **kw,
        )
