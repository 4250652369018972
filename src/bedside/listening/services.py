"""Every write of the listening app that a person (or a practice's set-up) performs.

Ingestion writes (mentions, source state) live in `ingest.py`; alerts in
`alerts.py`. Each service here checks the actor's right, writes, and records its
audit event (ids and enums only) in the same transaction; monitor changes tell
this process's matcher to rebuild on commit (other processes notice by polling).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bedside.accounts.models import Membership
from bedside.accounts.permissions import Perm, Role
from bedside.audit.services import audit_record
from bedside.core.models import Practice
from bedside.listening.analysis import myth_phrases
from bedside.listening.matcher.normalize import fold_phrase
from bedside.listening.models import AlertSettings, Mention, Monitor, Source
from bedside.listening.runtime import notify_monitors_changed
from bedside.listening.sources import SourceURIError, split_uri

MAX_PHRASES = 1000
MAX_PHRASE_LEN = 300
LANGUAGE = re.compile(r"^[a-z]{2}$")


def _require(actor: Membership, perm: Perm) -> None:
    if not actor.can(perm):
        raise PermissionDenied(f"Your role ({actor.role}) may not {perm.value.replace('_', ' ')}.")


def _phrases(field: str, values: Any, *, required: bool) -> list[str]:
    if isinstance(values, str):
        values = values.splitlines()
    if not isinstance(values, list | tuple):
        raise ValidationError({field: "Give a list of phrases."})
    out: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ValidationError({field: "Each phrase must be text."})
        value = " ".join(value.split())
        if not value:
            continue
        if len(value) > MAX_PHRASE_LEN:
            raise ValidationError({field: f"A phrase may be at most {MAX_PHRASE_LEN} characters."})
        if not fold_phrase(value):
            raise ValidationError({field: f"{value!r} has no letters or digits to match."})
        if value not in out:
            out.append(value)
    if required and not out:
        raise ValidationError({field: "Give at least one phrase or hashtag."})
    if len(out) > MAX_PHRASES:
        raise ValidationError({field: f"At most {MAX_PHRASES} phrases per monitor."})
    return out


def _languages(values: Any) -> list[str]:
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    out = sorted({str(v).strip().lower() for v in values or () if str(v).strip()})
    bad = [v for v in out if not LANGUAGE.match(v)]
    if bad:
        raise ValidationError(
            {"languages": f"Use two-letter language codes (en, es), not {bad[0]!r}."}
        )
    return out


def _clean_monitor(
    practice: Practice, monitor: Monitor | None, data: dict[str, Any]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in data or monitor is None:
        name = " ".join(str(data.get("name") or "").split())
        if not name:
            raise ValidationError({"name": "Give the monitor a name."})
        if len(name) > 200:
            raise ValidationError({"name": "At most 200 characters."})
        clash = Monitor.objects.filter(practice=practice, name__iexact=name)
        if monitor is not None:
            clash = clash.exclude(pk=monitor.pk)
        if clash.exists():
            raise ValidationError({"name": "Another monitor already has this name."})
        out["name"] = name
    if "phrases" in data or monitor is None:
        out["phrases"] = _phrases("phrases", data.get("phrases") or [], required=True)
    if "exclude" in data:
        out["exclude"] = _phrases("exclude", data.get("exclude") or [], required=False)
    if "languages" in data:
        out["languages"] = _languages(data.get("languages"))
    if "kind" in data:
        if data["kind"] not in Monitor.Kind.values:
            raise ValidationError({"kind": f"One of {', '.join(Monitor.Kind.values)}."})
        out["kind"] = data["kind"]
    if "active" in data:
        out["active"] = bool(data["active"])
    return out


def monitor_create(*, actor: Membership, ip: str | None = None, **data: Any) -> Monitor:
    """A new monitor (name, phrases, exclude, languages, kind, active); live within seconds."""
    _require(actor, Perm.MANAGE_LISTENING)
    fields = _clean_monitor(actor.practice, None, data)
    with transaction.atomic():
        monitor = Monitor.objects.create(practice=actor.practice, **fields)
        audit_record(
            action="listening.monitor_created",
            actor=actor.user,
            practice=actor.practice,
            obj=monitor,
            ip=ip,
            data={"kind": monitor.kind, "phrases": len(monitor.phrases)},
        )
        transaction.on_commit(notify_monitors_changed)
    return monitor


def monitor_update(
    *, actor: Membership, monitor: Monitor, ip: str | None = None, **data: Any
) -> Monitor:
    _require(actor, Perm.MANAGE_LISTENING)
    if monitor.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's monitor.")
    fields = _clean_monitor(actor.practice, monitor, data)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(monitor, name, value)
        monitor.save()
        audit_record(
            action="listening.monitor_updated",
            actor=actor.user,
            practice=actor.practice,
            obj=monitor,
            ip=ip,
            data={"fields": sorted(fields)},
        )
        transaction.on_commit(notify_monitors_changed)
    return monitor


def monitor_delete(*, actor: Membership, monitor: Monitor, ip: str | None = None) -> None:
    """Delete a monitor and its mentions; it stops matching within seconds."""
    _require(actor, Perm.MANAGE_LISTENING)
    if monitor.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's monitor.")
    with transaction.atomic():
        audit_record(
            action="listening.monitor_deleted",
            actor=actor.user,
            practice=actor.practice,
            obj=monitor,
            ip=ip,
            data={"kind": monitor.kind},
        )
        monitor.delete()
        transaction.on_commit(notify_monitors_changed)


# ------------------------------------------------------------------ defaults

SERVICE_WORDS = (
    "family medicine", "pediatrics", "dentistry", "dental", "urgent care", "dermatology",
    "physical therapy", "cardiology", "orthodontics", "women's health", "mental health",
    "vaccinations", "flu shots", "telehealth", "primary care", "optometry",
)  # fmt: skip
_TITLES = re.compile(r"^(dr\.?|doctor|prof\.?|nurse)\s+", re.I)
_SUFFIXES = re.compile(r",?\s+(md|do|dds|dmd|np|pa|rn|phd)\.?$", re.I)


def clinician_phrases(display_name: str) -> list[str]:
    """'Dr. Priya Raman' -> ['Dr. Priya Raman', 'Priya Raman', 'Dr Raman', 'Dr. Raman']."""
    name = " ".join(display_name.split())
    bare = _SUFFIXES.sub("", _TITLES.sub("", name)).strip()
    out = [name]
    if bare and bare != name:
        out.append(bare)
    parts = bare.split()
    if len(parts) >= 2:
        out += [f"Dr {parts[-1]}", f"Dr. {parts[-1]}"]
    return list(dict.fromkeys(p for p in out if fold_phrase(p)))


def practice_nicknames(practice: Practice) -> list[str]:
    """The practice's name, its short forms and hashtag, and its website's host."""
    name = " ".join(practice.name.split())
    out = [name, "#" + re.sub(r"\W", "", name)]
    short = re.sub(
        r"\b(clinic|practice|medical|center|centre|group|llc|pc|inc)\b\.?", "", name, flags=re.I
    )
    short = " ".join(short.split())
    if short and short.lower() != name.lower() and len(short.split()) >= 2:
        out.append(short)
    if practice.website:
        host = re.sub(r"^https?://(www\.)?", "", practice.website).split("/")[0]
        if host:
            out.append(host)
    return list(dict.fromkeys(p for p in out if fold_phrase(p)))


def _default_specs(practice: Practice) -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = [
        {
            "name": practice.name[:200],
            "kind": Monitor.Kind.PRACTICE_NAME,
            "phrases": practice_nicknames(practice),
        }
    ]
    members = Membership.objects.filter(
        practice=practice, role__in=[Role.CLINICIAN, Role.OWNER]
    ).select_related("user")
    for m in members.order_by("pk"):
        if m.user.display_name and _TITLES.match(m.user.display_name) or m.role == Role.CLINICIAN:
            phrases = clinician_phrases(m.user.display_name or "")
            if phrases:
                specs.append(
                    {"name": phrases[0][:200], "kind": Monitor.Kind.CLINICIAN, "phrases": phrases}
                )
    description = (practice.description or "").lower()
    services = [s for s in SERVICE_WORDS if s in description]
    if services:
        where = practice.city or practice.name
        phrases = [f"{s} {where}" for s in services] + [f"{where} {s}" for s in services]
        specs.append({"name": "Our services", "kind": Monitor.Kind.SERVICE, "phrases": phrases})
    specs.append({"name": "Health myths", "kind": Monitor.Kind.MYTH, "phrases": myth_phrases()})
    return specs


def monitor_defaults_create(*, practice: Practice) -> list[Monitor]:
    """Default monitors from the practice's profile and roster; safe to run again.

    The practice's name and nicknames, each clinician's (and titled owner's)
    display name, services named in its description (with its city) and
    Bedside's health-myth list. Existing monitors of the same name are left alone.
    """
    created = []
    with transaction.atomic():
        existing = {
            n.lower()
            for n in Monitor.objects.filter(practice=practice).values_list("name", flat=True)
        }
        for spec in _default_specs(practice):
            if spec["name"].lower() in existing or not spec["phrases"]:
                continue
            existing.add(spec["name"].lower())
            created.append(Monitor.objects.create(practice=practice, **spec))
        if created:
            audit_record(
                action="listening.monitor_defaults_created",
                practice=practice,
                object_type="listening.monitor",
                data={"monitor_ids": [m.pk for m in created]},
            )
            transaction.on_commit(notify_monitors_changed)
    return created


# ------------------------------------------------------------------ mentions


def mention_set_state(
    *, actor: Membership, mention: Mention, state: str, ip: str | None = None
) -> Mention:
    _require(actor, Perm.MANAGE_LISTENING)
    if mention.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's mention.")
    if state not in Mention.State.values:
        raise ValidationError({"state": f"One of {', '.join(Mention.State.values)}."})
    with transaction.atomic():
        previous = mention.state
        mention.state = state
        mention.save(update_fields=["state"])
        audit_record(
            action="listening.mention_state",
            actor=actor.user,
            practice=actor.practice,
            obj=mention,
            ip=ip,
            data={"from": previous, "to": state},
        )
    return mention


# ------------------------------------------------------------------ sources


def _clean_source(data: dict[str, Any]) -> dict[str, Any]:
    uri = " ".join(str(data.get("uri") or "").split())
    try:
        kind, _ = split_uri(uri)
    except SourceURIError as exc:
        raise ValidationError({"uri": str(exc)}) from None
    if kind == "jsonl":
        raise ValidationError(
            {"uri": "JSONL files are imported with `bedside listen --source jsonl:FILE`."}
        )
    interval = int(data.get("poll_interval_seconds") or 300)
    if not 60 <= interval <= 86400:
        raise ValidationError({"poll_interval_seconds": "Between 60 and 86400 seconds."})
    return {
        "uri": uri,
        "name": str(data.get("name") or "")[:200],
        "poll_interval_seconds": interval,
    }


def source_create(*, actor: Membership, ip: str | None = None, **data: Any) -> Source:
    """A practice's own source. Its address is checked by the fetcher's guard on every fetch."""
    _require(actor, Perm.MANAGE_LISTENING)
    fields = _clean_source(data)
    if Source.objects.filter(practice=actor.practice, uri=fields["uri"]).exists():
        raise ValidationError({"uri": "This source is already listed."})
    with transaction.atomic():
        source = Source.objects.create(practice=actor.practice, **fields)
        audit_record(
            action="listening.source_created",
            actor=actor.user,
            practice=actor.practice,
            obj=source,
            ip=ip,
            data={"kind": source.kind},
        )
    return source


def source_update(
    *, actor: Membership, source: Source, ip: str | None = None, **data: Any
) -> Source:
    """Edit a source; its error state is cleared so the next sweep fetches it again."""
    _require(actor, Perm.MANAGE_LISTENING)
    if source.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's source.")
    fields = _clean_source(data)
    if fields["uri"] != source.uri:
        fields.update(etag="", last_modified="", cursor="")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(source, name, value)
        source.active = bool(data.get("active", source.active))
        _source_reset(source)
        source.save()
        audit_record(
            action="listening.source_updated",
            actor=actor.user,
            practice=actor.practice,
            obj=source,
            ip=ip,
            data={"kind": source.kind},
        )
    return source


def _source_reset(source: Source) -> None:
    source.status = Source.Status.PENDING
    source.error_count = 0
    source.backoff_until = None
    source.next_poll_at = timezone.now()


def source_retry(*, actor: Membership, source: Source, ip: str | None = None) -> Source:
    """Fetch again at the next sweep (after fixing what the last error said)."""
    _require(actor, Perm.MANAGE_LISTENING)
    if source.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's source.")
    with transaction.atomic():
        _source_reset(source)
        source.save(update_fields=["status", "error_count", "backoff_until", "next_poll_at"])
        audit_record(
            action="listening.source_retry",
            actor=actor.user,
            practice=actor.practice,
            obj=source,
            ip=ip,
        )
    return source


def source_delete(*, actor: Membership, source: Source, ip: str | None = None) -> None:
    _require(actor, Perm.MANAGE_LISTENING)
    if source.practice_id != actor.practice_id:
        raise PermissionDenied("Not your practice's source.")
    with transaction.atomic():
        audit_record(
            action="listening.source_deleted",
            actor=actor.user,
            practice=actor.practice,
            obj=source,
            ip=ip,
        )
        source.delete()


# ------------------------------------------------------------------ alert settings

ALERT_FIELDS = (
    "instant_negative", "misinformation_spike", "spike_threshold", "spike_window_minutes",
    "daily_digest", "digest_hour",
)  # fmt: skip


def alert_settings_update(
    *, actor: Membership, ip: str | None = None, **data: Any
) -> AlertSettings:
    _require(actor, Perm.MANAGE_LISTENING)
    unknown = set(data) - set(ALERT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown setting."))
    with transaction.atomic():
        settings_, _ = AlertSettings.objects.get_or_create(practice=actor.practice)
        for name, value in data.items():
            setattr(settings_, name, value)
        if not 0 <= settings_.digest_hour <= 23:
            raise ValidationError({"digest_hour": "An hour from 0 to 23."})
        if settings_.spike_threshold < 1:
            raise ValidationError({"spike_threshold": "At least 1."})
        if not 5 <= settings_.spike_window_minutes <= 7 * 24 * 60:
            raise ValidationError({"spike_window_minutes": "Between 5 minutes and 7 days."})
        settings_.save()
        audit_record(
            action="listening.alert_settings_updated",
            actor=actor.user,
            practice=actor.practice,
            obj=settings_,
            ip=ip,
            data={"fields": sorted(data)},
        )
    return settings_
