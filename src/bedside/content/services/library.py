"""Media uploads, pillars, campaigns, templates and credible sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm
from bedside.audit.services import audit_record
from bedside.content.media import clean_image
from bedside.content.models import (
    DEFAULT_PILLARS,
    Campaign,
    CredibleDomain,
    MediaAsset,
    Pillar,
    PostTemplate,
)
from bedside.content.services._base import _require
from bedside.content.services.posts import _owned


def media_upload(
    *, actor: Membership, data: bytes, alt_text: str, ip: str | None = None
) -> MediaAsset:
    """Store an image re-encoded without metadata. Alt text is required."""
    _require(actor, Perm.COMPOSE)
    if not alt_text.strip():
        raise ValidationError({"alt_text": "Describe the image for people who cannot see it."})
    clean = clean_image(data)
    with transaction.atomic():
        asset = MediaAsset(
            practice=actor.practice, alt_text=alt_text.strip()[:1000], mime=clean.mime,
            width=clean.width, height=clean.height, size=len(clean.data), sha256=clean.sha256,
            uploaded_by=actor.user,
        )  # fmt: skip
        asset.file.save("upload", ContentFile(clean.data), save=False)
        asset.save()
        audit_record(
            action="media.uploaded", actor=actor.user, practice=actor.practice, obj=asset, ip=ip,
            data={"mime": clean.mime, "bytes": len(clean.data)},
        )  # fmt: skip
    return asset


def pillars_ensure_defaults(*, practice: Any) -> None:
    """The default pillars for a practice that has none (idempotent)."""
    if Pillar.objects.filter(practice=practice).exists():
        return
    Pillar.objects.bulk_create(
        [Pillar(practice=practice, name=n, position=i) for i, n in enumerate(DEFAULT_PILLARS)],
        ignore_conflicts=True,
    )


def credible_domains_set(
    *, actor: Membership, domains: Iterable[str], ip: str | None = None
) -> list[str]:
    """Replace the practice's list of credible health sources."""
    _require(actor, Perm.MANAGE_SETTINGS)
    clean = sorted(
        {d.strip().lower().removeprefix("www.").strip("/") for d in domains if d.strip()}
    )
    with transaction.atomic():
        CredibleDomain.objects.filter(practice=actor.practice).delete()
        CredibleDomain.objects.bulk_create(
            CredibleDomain(practice=actor.practice, domain=d) for d in clean
        )
        audit_record(
            action="content.credible_domains_set", actor=actor.user, practice=actor.practice,
            ip=ip, data={"count": len(clean)},
        )  # fmt: skip
    return clean


def template_create(
    *, actor: Membership, name: str, text: str, pillar_id: int | None = None,
    ip: str | None = None,
) -> PostTemplate:  # fmt: skip
    """A reusable starting text for the practice."""
    _require(actor, Perm.COMPOSE)
    if not name.strip() or not text.strip():
        raise ValidationError({"name": "Give the template a name and a text."})
    with transaction.atomic():
        template = PostTemplate.objects.create(
            practice=actor.practice, name=name.strip()[:120], text=text,
            pillar=_owned(Pillar, actor, pillar_id, "pillar"),
        )  # fmt: skip
        audit_record(action="content.template_created", actor=actor.user,
                     practice=actor.practice, obj=template, ip=ip)  # fmt: skip
    return template


def pillar_create(*, actor: Membership, name: str, ip: str | None = None) -> Pillar:
    _require(actor, Perm.MANAGE_SETTINGS)
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError({"name": "Name the pillar."})
    if Pillar.objects.filter(practice=actor.practice, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a pillar called {name}."})
    with transaction.atomic():
        position = Pillar.objects.filter(practice=actor.practice).count()
        pillar = Pillar.objects.create(practice=actor.practice, name=name, position=position)
        audit_record(action="content.pillar_created", actor=actor.user,
                     practice=actor.practice, obj=pillar, ip=ip)  # fmt: skip
    return pillar


def pillar_delete(*, actor: Membership, pillar: Pillar, ip: str | None = None) -> None:
    _require(actor, Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        audit_record(action="content.pillar_deleted", actor=actor.user,
                     practice=actor.practice, obj=pillar, ip=ip)  # fmt: skip
        pillar.delete()


def campaign_create(
    *, actor: Membership, name: str, starts_on: dt.date | None = None,
    ends_on: dt.date | None = None, ip: str | None = None,
) -> Campaign:  # fmt: skip
    _require(actor, Perm.COMPOSE)
    if not name.strip():
        raise ValidationError({"name": "Name the campaign."})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": "The campaign ends before it starts."})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            practice=actor.practice, name=name.strip()[:120], starts_on=starts_on, ends_on=ends_on
        )
        audit_record(action="content.campaign_created", actor=actor.user,
                     practice=actor.practice, obj=campaign, ip=ip)  # fmt: skip
    return campaign
