"""Fake SMTP server (aiosmtpd) with STARTTLS, AUTH and failure injection.

with SmtpFake(tls=True, password="pw") as smtp:
    smtp.port, smtp.ca_file, smtp.messages, smtp.fail_next("451")
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import tempfile
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost/127.0.0.1 and its key, written as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


class _Handler:
    def __init__(self, fake: SmtpFake) -> None:
        self.fake = fake

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.fake.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        fault = self.fake._next_fault()
        if fault == "451":
            return "451 4.3.0 Try again later"
        if fault == "554":
            return "554 5.7.1 Message rejected as spam"
        raw = envelope.original_content or envelope.content
        msg = message_from_bytes(raw, policy=policy.default)
        with self.fake._lock:
            self.fake.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), msg, raw)
            )
        if fault == "hang":  # accepted, but the answer never comes in time
            await asyncio.sleep(self.fake.hang_seconds)
        return "250 2.0.0 Message accepted"


class SmtpFake:
    def __init__(
        self,
        *,
        tls: bool = False,
        username: str = "news@clinic.example",
        password: str | None = None,
    ):
        self.messages: list[Received] = []
        self.refuse: set[str] = set()
        self.hang_seconds = 1.0
        self._faults: list[str] = []
        self._lock = threading.Lock()
        self._tmp = tempfile.TemporaryDirectory()
        self.ca_file: str | None = None
        kw: dict[str, Any] = {}
        if tls:
            cert, key = self_signed(Path(self._tmp.name))
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(cert, key)
            kw.update(tls_context=ctx, require_starttls=True)
            self.ca_file = str(cert)
        if password is not None:

            def authenticator(
                server: Any, session: Any, envelope: Any, mechanism: str, data: Any
            ) -> AuthResult:
                ok = isinstance(data, LoginPassword) and (
                    data.login.decode(),
                    data.password.decode(),
                ) == (username, password)
                return AuthResult(success=ok, handled=False)

            kw.update(authenticator=authenticator, auth_required=True, auth_require_tls=tls)
        self.port = _free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kw)

    def fail_next(self, mode: str) -> None:
        with self._lock:
            self._faults.append(mode)

    def _next_fault(self) -> str | None:
        with self._lock:
            return self._faults.pop(0) if self._faults else None

    def __enter__(self) -> SmtpFake:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.controller.stop()
        self._tmp.cleanup()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
