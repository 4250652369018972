"""Opening WebSockets through the same SSRF guard as HttpClient.

`websockets` opens its own sockets, so the guard runs here: the ws(s) URL is
checked as the http(s) URL it upgrades from, the host is resolved once, every
address checked (loopback, private, link-local incl. 169.254.169.254 refused
unless allowed by BEDSIDE_ALLOWED_PRIVATE_NETWORKS) and the socket opened to the
checked address; TLS still verifies the URL's host name.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

import certifi
import httpcore

from bedside.core import netguard
from bedside.core.http import RetryableError, UnsafeURLError


@contextlib.contextmanager
def open_websocket(
    url: str, *, allowed: Sequence[netguard.IPNetwork] | None = None, timeout: float = 10.0
) -> Iterator:  # type: ignore[type-arg]
    """`with open_websocket(url) as ws:` a connected `websockets.sync` client, or
    UnsafeURLError / RetryableError before anything is read."""
    from websockets.sync.client import connect

    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        raise UnsafeURLError(f"Refusing URL scheme {parts.scheme!r}: only ws and wss are allowed.")
    http_url = ("https" if parts.scheme == "wss" else "http") + url[len(parts.scheme) :]
    # the same allowed networks as the HttpClient in use (its `allowed`), else settings
    networks = tuple(allowed) if allowed is not None else netguard.configured_allowed_networks()
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    try:
        netguard.check_url_shape(http_url)
        addresses = netguard.resolve_checked(parts.hostname or "", port, networks)
    except netguard.AddressRefused as exc:
        raise UnsafeURLError(exc.message) from None
    except httpcore.ConnectError as exc:
        raise RetryableError(str(exc)) from None
    sock = None
    last: OSError | None = None
    for addr in addresses:
        try:
            sock = socket.create_connection((addr, port), timeout=timeout)
            break
        except OSError as exc:
            last = exc
    if sock is None:
        raise RetryableError(f"Could not connect to {parts.hostname}:{port}: {last}")
    tls = ssl.create_default_context(cafile=certifi.where()) if parts.scheme == "wss" else None
    opener = connect(
        url,
        sock=sock,
        ssl=tls,
        server_hostname=parts.hostname if tls else None,
        open_timeout=timeout,
        max_size=2**20,
        compression=None,
    )
    try:
        ws = opener.__enter__()
    except Exception as exc:
        sock.close()
        raise RetryableError(f"WebSocket handshake with {parts.hostname} failed: {exc}") from None
    try:
        yield ws
    finally:
        opener.__exit__(None, None, None)
