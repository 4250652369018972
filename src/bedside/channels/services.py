"""Every write about channel accounts: create, reconnect, test, disable, refresh, rotate."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.channels import crypto
from bedside.channels.connectors.base import Credentials, CredentialValidator
from bedside.channels.models import ChannelAccount, ChannelStatus, ChannelType
from bedside.core.http import HttpClient, RetryableError, TerminalError, check_url

logger = logging.getLogger("bedside.channels")

# Settings keys that are secrets: moved to the encrypted credentials, never stored plain.
_SECRET_WORDS = ("secret", "token", "password", "api_key", "apikey", "private_key")
_URL_KEYS = ("url", "base_url")


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not manage channels.")


def is_secret_key(key: str) -> bool:
    return any(word in key.lower() for word in _SECRET_WORDS)


def split_settings(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain settings, secrets) from what a member typed."""
    plain = {k: v for k, v in raw.items() if not is_secret_key(k)}
    secrets = {k: v for k, v in raw.items() if is_secret_key(k) and v not in (None, "")}
    return plain, secrets


def _credentials_dict(secrets: dict[str, Any], expires_at: datetime | None = None) -> dict:
    extra = {k: v for k, v in secrets.items() if k not in ("access_token", "refresh_token")}
    return {
        "access_token": str(secrets.get("access_token", "")),
        "refresh_token": str(secrets.get("refresh_token", "")),
        "expires_at": expires_at.isoformat() if expires_at else None,
        "extra": extra,
    }


def _check_urls(type: str, plain: dict[str, Any]) -> None:
    """Refuse URLs pointing at private addresses (unless allowed by configuration)."""
    if type == ChannelType.WEBHOOK and not plain.get("url"):
        raise ValidationError({"settings": "A webhook needs a url (https://...)."})
    for key in _URL_KEYS:
        url = plain.get(key)
        if not url:
            continue
        try:
            check_url(str(url))
        except TerminalError as exc:
            raise ValidationError({"settings": f"{key}: {exc.user_message}"}) from None
        except RetryableError:
            raise ValidationError(
                {"settings": f"{key}: the host name could not be resolved; check the address."}
            ) from None


def _validate(type: str, name: str, plain: dict[str, Any], secrets: dict[str, Any]) -> None:
    if type not in ChannelType.values:
        raise ValidationError({"type": f"Unknown channel type {type!r}."})
    if not name.strip():
        raise ValidationError({"name": "Give the channel a name."})
    if type == ChannelType.WEBHOOK and not secrets.get("secret"):
        raise ValidationError({"settings": "A webhook needs a secret (used to sign each body)."})
    _check_urls(type, plain)


def channel_create(
    *,
    actor: Membership,
    type: str,
    name: str,
    settings: dict[str, Any] | None = None,
    expires_at: datetime | None = None,
    ip: str | None = None,
) -> ChannelAccount:
    """Connect a channel. Secret settings (secret, *token*, password) are encrypted."""
    _require(actor, Perm.MANAGE_CHANNELS)
    plain, secrets = split_settings(dict(settings or {}))
    _validate(type, name, plain, secrets)
    channel = ChannelAccount(
        practice=actor.practice,
        type=type,
        name=name.strip()[:120],
        settings=plain,
        token_expires_at=expires_at,
        credentials_encrypted=crypto.encrypt(_credentials_dict(secrets, expires_at))
        if secrets
        else "",
    )
    with transaction.atomic():
        channel.save()
        audit_record(
            action="channel.created",
            actor=actor.user,
            practice=actor.practice,
            obj=channel,
            ip=ip,
            data={"type": type, "secret_keys": sorted(secrets)},
        )
    return channel


def channel_reconnect(
    *,
    actor: Membership,
    channel: ChannelAccount,
    settings: dict[str, Any],
    expires_at: datetime | None = None,
    ip: str | None = None,
) -> ChannelAccount:
    """Replace settings and (when given) secrets; the channel is connected again."""
    _require(actor, Perm.MANAGE_CHANNELS)
    plain, secrets = split_settings(dict(settings))
    merged = {**channel.settings, **plain}
    old = crypto.decrypt(channel.credentials_encrypted)
    old_secrets = {
        **old.get("extra", {}),
        **{k: old.get(k) for k in ("access_token", "refresh_token") if old.get(k)},
    }
    all_secrets = {**old_secrets, **secrets}
    _validate(channel.type, channel.name, merged, all_secrets)
    with transaction.atomic():
        channel.settings = merged
        if secrets:
            channel.credentials_encrypted = crypto.encrypt(
                _credentials_dict(all_secrets, expires_at)
            )
            channel.token_expires_at = expires_at
        channel.status = ChannelStatus.CONNECTED
        channel.last_error = ""
        channel.save()
        audit_record(
            action="channel.reconnected",
            actor=actor.user,
            practice=actor.practice,
            obj=channel,
            ip=ip,
            data={"secret_keys": sorted(secrets)},
        )
    return channel


def channel_disable(
    *, actor: Membership, channel: ChannelAccount, ip: str | None = None
) -> ChannelAccount:
    _require(actor, Perm.MANAGE_CHANNELS)
    with transaction.atomic():
        channel.status = ChannelStatus.DISABLED
        channel.save(update_fields=["status", "updated_at"])
        audit_record(
            action="channel.disabled", actor=actor.user, practice=actor.practice, obj=channel, ip=ip
        )
    return channel


def channel_test(
    *, actor: Membership, channel: ChannelAccount, http: HttpClient | None = None, ip=None
) -> tuple[bool, str]:
    """Validate the credentials through the connector; (ok, message in plain words).

    A bad token marks the channel needs_reconnect; a network hiccup changes nothing.
    """
    _require(actor, Perm.MANAGE_CHANNELS)
    from bedside.channels.connect import connector_for

    ok, message, kind = False, "", ""
    try:
        connector = connector_for(channel, http=http)
        if not isinstance(connector, CredentialValidator):
            return True, f"{channel.get_type_display()} has nothing to test."
        info = connector.validate()
        ok, message = True, f"Connected as {info.handle or info.name}."
    except RetryableError as exc:
        message = (
            f"Could not reach {channel.get_type_display()} just now ({exc.status or 'no answer'}). "
            "Nothing was changed; try again in a few minutes."
        )
        kind = "retryable"
    except TerminalError as exc:
        message, kind = exc.user_message, exc.kind
    with transaction.atomic():
        channel.last_checked_at = timezone.now()
        fields = ["last_checked_at", "updated_at"]
        if ok:
            channel.status = ChannelStatus.CONNECTED if channel.status != "disabled" else "disabled"
            channel.account_label = message[:200]
            channel.last_error = ""
            fields += ["status", "account_label", "last_error"]
        elif kind == "auth":
            channel.status = ChannelStatus.NEEDS_RECONNECT
            channel.last_error, channel.last_error_at = message, timezone.now()
            fields += ["status", "last_error", "last_error_at"]
        channel.save(update_fields=fields)
        audit_record(
            action="channel.tested",
            actor=actor.user,
            practice=actor.practice,
            obj=channel,
            ip=ip,
            data={"ok": ok, "kind": kind},
        )
    return ok, message


def channel_credentials_refreshed(*, channel_id: int, credentials: Credentials) -> None:
    """Persist refreshed tokens (the connector's on_credentials_refreshed hook).

    Runs in its own transaction so the new token survives whatever happens to the
    publish. A refresh answer without a refresh token keeps the stored one.
    """
    with transaction.atomic():
        channel = ChannelAccount.objects.select_for_update().get(pk=channel_id)
        old = crypto.decrypt(channel.credentials_encrypted)
        data = {
            "access_token": credentials.access_token,
            "refresh_token": credentials.refresh_token or old.get("refresh_token", ""),
            "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
            "extra": {**old.get("extra", {}), **credentials.extra},
        }
        channel.credentials_encrypted = crypto.encrypt(data)
        channel.token_expires_at = credentials.expires_at
        channel.save(update_fields=["credentials_encrypted", "token_expires_at", "updated_at"])
        audit_record(
            action="channel.token_refreshed", practice=channel.practice_id, obj=channel, data={}
        )


def channel_mark_needs_reconnect(*, channel_id: int, message: str) -> None:
    """A publish got an auth error: only a person can fix it (system action)."""
    with transaction.atomic():
        updated = ChannelAccount.objects.filter(
            pk=channel_id, status=ChannelStatus.CONNECTED
        ).update(
            status=ChannelStatus.NEEDS_RECONNECT,
            last_error=message[:1000],
            last_error_at=timezone.now(),
        )
        if updated:
            channel = ChannelAccount.objects.get(pk=channel_id)
            audit_record(
                action="channel.needs_reconnect",
                practice=channel.practice_id,
                obj=channel,
                data={},
            )


def credentials_rotate_all() -> int:
    """Re-encrypt every stored credential with the newest key; returns the row count."""
    count = 0
    for channel_id in ChannelAccount.objects.exclude(credentials_encrypted="").values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            channel = ChannelAccount.objects.select_for_update().get(pk=channel_id)
            channel.credentials_encrypted = crypto.rotate(channel.credentials_encrypted)
            channel.save(update_fields=["credentials_encrypted"])
            count += 1
    if count:
        audit_record(action="channel.keys_rotated", data={"count": count})
    return count


def channel_slots_set(
    *, actor: Membership, channel: ChannelAccount, slots: list[str], ip: str | None = None
) -> ChannelAccount:
    """The channel's queue slots (regular posting times, practice time)."""
    from bedside.channels.slots import normalize

    _require(actor, Perm.MANAGE_CHANNELS)
    try:
        clean = normalize(slots)
    except ValueError as exc:
        raise ValidationError({"slots": str(exc)}) from None
    with transaction.atomic():
        channel.settings = {**channel.settings, "slots": clean}
        channel.save(update_fields=["settings", "updated_at"])
        audit_record(
            action="channel.slots_set", actor=actor.user, practice=actor.practice, obj=channel,
            ip=ip, data={"count": len(clean)},
        )  # fmt: skip
    return channel
