"""E-mail newsletter over SMTP (smtplib).

Settings: ``host``, ``port`` (587), ``from`` (address), ``to`` (list of
recipient addresses), ``security``: ``"starttls"`` (default), ``"ssl"``
(implicit TLS, port 465) or ``"none"``; ``username`` (defaults to ``from``);
``ca_file`` for a relay with a private CA; ``to_header`` (what the To: header
shows, default the sender); ``timeout`` seconds. The password is
``credentials.extra["password"]`` (or ``access_token``).

Privacy: recipients go in the SMTP envelope only, never in a header, so no
subscriber sees another's address.

The SMTP host passes the same SSRF guard as HTTP (same allowed networks as the
connector's HttpClient) and the socket goes to the checked address, while TLS
verifies the configured host name.

The Message-ID is derived from the idempotency key, so a resent newsletter can
be recognised by mail clients, but SMTP servers do not deduplicate: a failure
after the message data was sent is an UnknownOutcomeError (needs review).
"""

from __future__ import annotations

import hashlib
import html
import smtplib
import socket
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from bedside.channels.connectors._common import text_with_link
from bedside.channels.connectors.base import AccountInfo, Connector, PublishRequest, PublishResult
from bedside.core import netguard
from bedside.core.http import (
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
    UnsafeURLError,
)


def message_id_for(idempotency_key: str, sender: str) -> str:
    """Deterministic Message-ID for a delivery."""
    domain = sender.rsplit("@", 1)[-1] if "@" in sender else "bedside.invalid"
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    return f"<bedside.{digest}@{domain}>"


class _Pinned:
    """Mixin: open the SMTP socket to a checked address (no DNS rebinding)."""

    _host: str
    _allowed: tuple[netguard.IPNetwork, ...] = ()
    _resolver: netguard.Resolver = netguard.system_resolver

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        addresses = netguard.resolve_checked(host, port, self._allowed, self._resolver)
        last: OSError | None = None
        for address in addresses:
            try:
                sock = socket.create_connection((address, port), timeout)
            except OSError as exc:
                last = exc
                continue
            return self._wrap(sock, host)
        assert last is not None
        raise last

    def _wrap(self, sock: socket.socket, host: str) -> socket.socket:
        return sock


class _SMTP(_Pinned, smtplib.SMTP):
    pass


class _SMTPSSL(_Pinned, smtplib.SMTP_SSL):
    def _wrap(self, sock: socket.socket, host: str) -> socket.socket:
        return self.context.wrap_socket(sock, server_hostname=host)


class EmailConnector(Connector):
    """Publisher and CredentialValidator for a newsletter sent over SMTP."""

    type = "email"
    display_name = "the newsletter e-mail server"
    idempotent_publish = False
    required_settings = ("host", "from", "to")

    def _secrets(self) -> list[str]:
        return [*super()._secrets(), str(self.credentials.extra.get("password") or "")]

    def _tls_context(self) -> ssl.SSLContext:
        ca_file = self.settings.get("ca_file")
        return (
            ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        )

    def _retryable(self, message: str) -> RetryableError:
        return RetryableError(message, service=self.display_name, secrets=self._secrets())

    def _connect(self) -> smtplib.SMTP:
        host = str(self.settings["host"])
        security = self.settings.get("security", "starttls")
        port = int(self.settings.get("port") or (465 if security == "ssl" else 587))
        timeout = float(self.settings.get("timeout", 20))
        smtp: smtplib.SMTP
        if security == "ssl":
            smtp = _SMTPSSL(timeout=timeout, context=self._tls_context())
        else:
            smtp = _SMTP(timeout=timeout)
        smtp._allowed = tuple(self.http.allowed)
        smtp._resolver = self.http.resolver
        smtp._host = host  # smtplib takes the TLS server name from here (set only by __init__)
        try:
            smtp.connect(host, port)
            smtp.ehlo()
            if security == "starttls":
                if not smtp.has_extn("starttls"):
                    raise self._config("the server does not offer STARTTLS")
                smtp.starttls(context=self._tls_context())
                smtp.ehlo()
            password = self.credentials.extra.get("password") or self.credentials.access_token
            if password:
                smtp.login(
                    str(self.settings.get("username") or self.settings["from"]), str(password)
                )
        except netguard.AddressRefused as exc:
            smtp.close()
            raise UnsafeURLError(exc.message, service=self.display_name) from None
        except smtplib.SMTPAuthenticationError:
            smtp.close()
            raise self._auth() from None
        except (ssl.SSLError, ssl.CertificateError) as exc:
            smtp.close()
            raise self._config(f"TLS failed ({type(exc).__name__})") from None
        except TerminalError:
            smtp.close()
            raise
        except (smtplib.SMTPException, OSError) as exc:
            smtp.close()  # nothing was sent yet: safe to retry
            raise self._retryable(f"SMTP connection failed: {type(exc).__name__}: {exc}") from None
        return smtp

    def _auth(self) -> TerminalError:
        return TerminalError(
            "SMTP login refused",
            kind="auth",
            user_message="The e-mail server refused the login. Update the password in Settings → Channels.",
            service=self.display_name,
            secrets=self._secrets(),
        )

    def _config(self, why: str) -> TerminalError:
        return TerminalError(
            f"SMTP configuration: {why}",
            kind="config",
            user_message=f"The newsletter e-mail settings need attention: {why}.",
            service=self.display_name,
        )

    def build_message(self, request: PublishRequest) -> EmailMessage:
        sender = str(self.settings["from"])
        text = text_with_link(request)
        msg = EmailMessage()
        subject = request.metadata.get("subject") or (text.strip().splitlines() or [""])[0][:78]
        msg["Subject"] = subject
        msg["From"] = sender
        msg["To"] = str(self.settings.get("to_header") or sender)
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = message_id_for(request.idempotency_key, sender)
        msg.set_content(text)
        if request.media:
            cids = [make_msgid(domain="bedside.invalid") for _ in request.media]
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
            images = "".join(
                f'<p><img src="cid:{cid[1:-1]}" alt="{html.escape(m.alt_text, quote=True)}"></p>'
                for cid, m in zip(cids, request.media, strict=True)
            )
            msg.add_alternative(f"<html><body>{paragraphs}{images}</body></html>", subtype="html")
            html_part = msg.get_body(("html",))
            assert isinstance(html_part, EmailMessage)
            for i, (cid, m) in enumerate(zip(cids, request.media, strict=True)):
                maintype, _, subtype = m.mime.partition("/")
                html_part.add_related(m.data, maintype, subtype, cid=cid, filename=f"image{i + 1}")
        return msg

    def publish(self, request: PublishRequest) -> PublishResult:
        recipients = list(self.settings["to"])
        if not recipients:
            raise self._config("there are no recipients")
        msg = self.build_message(request)
        smtp = self._connect()
        try:
            refused = smtp.send_message(
                msg, from_addr=str(self.settings["from"]), to_addrs=recipients
            )
        except smtplib.SMTPRecipientsRefused:
            raise TerminalError(
                "all recipients refused",
                kind="rejected",
                user_message="The e-mail server refused every recipient. Check the newsletter list.",
                service=self.display_name,
            ) from None
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            if 400 <= exc.smtp_code < 500:  # temporary refusal: the message was not accepted
                raise self._retryable(f"SMTP temporary failure {exc.smtp_code}") from None
            raise TerminalError(
                f"SMTP refused the message ({exc.smtp_code})",
                kind="rejected",
                user_message="The e-mail server refused the newsletter. Check the sender address and content.",
                service=self.display_name,
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            # The data may have been accepted before the connection failed.
            raise UnknownOutcomeError(
                f"SMTP connection lost while sending: {type(exc).__name__}",
                service=self.display_name,
                secrets=self._secrets(),
            ) from None
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
        del refused  # partially refused lists still count as sent
        return PublishResult(external_id=str(msg["Message-ID"]), url=None)

    def delete(self, external_id: str) -> None:
        raise TerminalError(
            "e-mail cannot be unsent",
            kind="config",
            user_message="An e-mail that was sent cannot be taken back.",
            service=self.display_name,
        )

    def validate(self) -> AccountInfo:
        smtp = self._connect()
        try:
            smtp.noop()
        finally:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
        sender = str(self.settings["from"])
        return AccountInfo(external_id=sender, name=sender, handle=sender)
