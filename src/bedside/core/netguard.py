"""SSRF guard: which addresses outbound HTTP (and SMTP) may reach.

The check happens where the socket is opened (see :class:`PinnedBackend`): the
host name is resolved once, every resolved address is checked, and the
connection goes to the address that was checked. A DNS answer that changes
between the check and the connection (DNS rebinding) therefore cannot move the
connection to a private address. TLS still uses the URL's host name for SNI
and certificate verification, and the Host header is unchanged, because httpcore
passes the original host to ``start_tls`` and builds headers from the URL.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

ENV_ALLOWED = "BEDSIDE_ALLOWED_PRIVATE_NETWORKS"

# Named classes, checked in this order, so the refusal says what the address is.
_CLASSES: tuple[tuple[str, Callable[[IPAddress], bool]], ...] = (
    ("unspecified", lambda ip: ip.is_unspecified),
    ("loopback", lambda ip: ip.is_loopback),
    ("link-local", lambda ip: ip.is_link_local),
    ("multicast", lambda ip: ip.is_multicast),
    ("private", lambda ip: ip.is_private),
    ("reserved", lambda ip: ip.is_reserved),
    ("non-global", lambda ip: not ip.is_global),
)
_EXTRA_BLOCKED: tuple[tuple[str, IPNetwork], ...] = (
    ("shared address space (CGNAT)", ipaddress.ip_network("100.64.0.0/10")),
    ("private (ULA)", ipaddress.ip_network("fc00::/7")),
    ("link-local", ipaddress.ip_network("fe80::/10")),
    ("cloud metadata", ipaddress.ip_network("fd00:ec2::/32")),
)


class AddressRefused(Exception):
    """Raised inside the guard; :mod:`bedside.core.http` turns it into UnsafeURLError."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_networks(values: Iterable[str] | str | None) -> tuple[IPNetwork, ...]:
    """Parse CIDRs (a list or a comma-separated string); a bad entry raises ValueError."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in values if v.strip())


def configured_allowed_networks() -> tuple[IPNetwork, ...]:
    """Allowed private networks from Django settings (if configured) or the environment.

    Read lazily so this module works without Django. Empty by default: no private
    address is reachable unless an operator says so.
    """
    try:
        from django.conf import settings  # noqa: PLC0415 - optional dependency

        if settings.configured:
            value = getattr(settings, "BEDSIDE_ALLOWED_PRIVATE_NETWORKS", None)
            if value is not None:
                return parse_networks(value)
    except ImportError:
        pass
    return parse_networks(os.environ.get(ENV_ALLOWED, ""))


def _unwrap(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64 well-known prefix
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def address_class(ip: IPAddress) -> str | None:
    """The name of the refused class ``ip`` belongs to, or None if it is public."""
    ip = _unwrap(ip)
    for name, net in _EXTRA_BLOCKED:
        if ip.version == net.version and ip in net:
            return name
    for name, test in _CLASSES:
        if test(ip):
            return name
    return None


def check_ip(ip: IPAddress | str, allowed: Sequence[IPNetwork], *, host: str = "") -> None:
    """Raise AddressRefused unless ``ip`` is public or inside an allowed network."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0])
    cls = address_class(ip)
    if cls is None:
        return
    plain = _unwrap(ip)
    if any(ip.version == n.version and ip in n for n in allowed) or any(
        plain.version == n.version and plain in n for n in allowed
    ):
        return
    label = f"{host} ({ip})" if host and host != str(ip) else str(ip)
    raise AddressRefused(
        f"Refusing to connect to {label}: it is a {cls} address. "
        f"Only public addresses are allowed unless the network is listed in {ENV_ALLOWED}."
    )


def system_resolver(host: str, port: int) -> list[str]:
    """All addresses ``host`` resolves to (IPv4 and IPv6), in resolver order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


def resolve_checked(
    host: str, port: int, allowed: Sequence[IPNetwork], resolver: Resolver = system_resolver
) -> list[str]:
    """Resolve ``host`` and check every address; any refused address refuses the host.

    Refusing on any (not only all) addresses stops a name that mixes a public and
    a private record from being used to reach the private one.
    """
    host = host.strip("[]")
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        literal = None
    if literal is not None:
        check_ip(literal, allowed)
        return [str(literal)]
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise httpcore.ConnectError(f"DNS lookup failed for {host}") from exc
    if not addresses:
        raise httpcore.ConnectError(f"DNS lookup failed for {host}: no addresses")
    for addr in addresses:
        check_ip(addr, allowed, host=host)
    return addresses


def check_url_shape(url: str) -> None:
    """Refuse URLs that are not plain http(s) with a host and without credentials."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError as exc:
        raise AddressRefused(f"Refusing a malformed URL: {exc}") from None
    if parts.scheme not in ("http", "https"):
        raise AddressRefused(
            f"Refusing URL scheme {parts.scheme!r}: only http and https are allowed."
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise AddressRefused("Refusing a URL with credentials in it (user:password@host).")
    if not parts.hostname:
        raise AddressRefused("Refusing a URL without a host.")


class PinnedBackend(httpcore.SyncBackend):
    """httpcore network backend that checks the address it connects to.

    ``connect_tcp`` receives the URL's host; it resolves it once, checks every
    address, and opens the socket to a checked address (trying each in turn).
    """

    def __init__(self, allowed: Sequence[IPNetwork], resolver: Resolver = system_resolver):
        self.allowed = tuple(allowed)
        self.resolver = resolver

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_checked(host, port, self.allowed, self.resolver)
        last: Exception | None = None
        for addr in addresses:
            try:
                return super().connect_tcp(addr, port, timeout, local_address, socket_options or [])
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last
