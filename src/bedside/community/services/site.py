"""The public site's content: clinician profiles, blog entries, events, boards."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bedside.audit.services import audit_record
from bedside.community.markup import plain_summary, render_markdown
from bedside.community.models import BlogEntry, Board, BoardCard, ClinicianProfile, Event
from bedside.community.sitecache import site_changed

PROFILE_FIELDS = (
    "kind",
    "name",
    "title",
    "bio",
    "specialties",
    "interests",
    "photo",
    "photo_alt",
    "video_url",
    "position",
    "published",
)


def _unique_slug(model: Any, practice: Any, base: str, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:70] or "item"
    slug, n = base, 2
    qs = model.objects.filter(practice=practice)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    while qs.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _require_alt(image: Any, alt: str, field: str) -> None:
    if image and not (alt or "").strip():
        raise ValidationError({field: "Describe the image for people who cannot see it."})


def clinician_profile_create(*, practice: Any, actor: Any, **fields: Any) -> ClinicianProfile:
    profile = ClinicianProfile(practice=practice)
    return _profile_save(profile, actor, fields, "community.profile_created")


def clinician_profile_update(
    *, profile: ClinicianProfile, actor: Any, **fields: Any
) -> ClinicianProfile:
    return _profile_save(profile, actor, fields, "community.profile_updated")


def _profile_save(
    profile: ClinicianProfile, actor: Any, fields: dict[str, Any], action: str
) -> ClinicianProfile:
    for key, value in fields.items():
        if key not in PROFILE_FIELDS:
            raise TypeError(f"unknown profile field {key}")
        setattr(profile, key, value)
    _require_alt(profile.photo, profile.photo_alt, "photo_alt")
    profile.slug = _unique_slug(ClinicianProfile, profile.practice, profile.name, profile.pk)
    profile.bio_html = render_markdown(profile.bio)
    profile.full_clean()
    with transaction.atomic():
        profile.save()
        audit_record(action=action, actor=actor, practice=profile.practice, obj=profile)
        site_changed(profile.practice)
    return profile


def blog_entry_publish(
    *,
    practice: Any,
    title: str,
    body: str,
    author: Any = None,
    source_post_id: int | None = None,
    image: Any = None,
    alt_text: str = "",
) -> BlogEntry:
    """Publish a blog entry on the practice site (the publishing "site" connector calls this).

    Idempotent per `source_post_id`: a second call for the same content post updates
    and re-publishes the same entry instead of creating a duplicate. Raises
    ValidationError (field names) for an empty title/body or an image without alt text.
    """
    _require_alt(image, alt_text, "alt_text")
    with transaction.atomic():
        entry = None
        if source_post_id is not None:
            entry = (
                BlogEntry.objects.select_for_update()
                .filter(practice=practice, source_post_id=source_post_id)
                .first()
            )
        entry = entry or BlogEntry(practice=practice, source_post_id=source_post_id)
        entry.title, entry.body, entry.author = title, body, author
        if image:
            entry.image, entry.alt_text = image, alt_text
        entry.slug = entry.slug or _unique_slug(BlogEntry, practice, title)
        entry.body_html = render_markdown(body)
        entry.summary = plain_summary(body)
        entry.published_at = entry.published_at or timezone.now()
        entry.unpublished_at = None
        entry.full_clean()
        entry.save()
        audit_record(
            action="community.blog_published",
            actor=author,
            practice=practice,
            obj=entry,
            data={"source_post_id": source_post_id},
        )
        site_changed(practice)
    return entry


def blog_entry_edit(*, entry_id: int, title: str, body: str, actor: Any = None) -> BlogEntry:
    """Change a published entry's title and text in place (an edited content post).

    The address (slug) stays, so links and feed item ids keep working; an entry taken
    off the site stays off. Raises BlogEntry.DoesNotExist, or ValidationError."""
    with transaction.atomic():
        entry = (
            BlogEntry.objects.select_for_update()
            .select_related("practice")
            .get(pk=entry_id, unpublished_at__isnull=True)
        )
        entry.title, entry.body = title, body
        entry.body_html = render_markdown(body)
        entry.summary = plain_summary(body)
        entry.full_clean()
        entry.save()
        audit_record(
            action="community.blog_edited", actor=actor, practice=entry.practice, obj=entry,
            data={"source_post_id": entry.source_post_id},
        )  # fmt: skip
        site_changed(entry.practice)
    return entry


def blog_entry_unpublish(*, entry_id: int, actor: Any = None) -> BlogEntry:
    """Take an entry off the site and its feeds (safe to call twice). Raises BlogEntry.DoesNotExist."""
    with transaction.atomic():
        entry = BlogEntry.objects.select_for_update().select_related("practice").get(pk=entry_id)
        if entry.unpublished_at is None:
            entry.unpublished_at = timezone.now()
            entry.save(update_fields=["unpublished_at"])
            audit_record(
                action="community.blog_unpublished", actor=actor, practice=entry.practice, obj=entry
            )
            site_changed(entry.practice)
    return entry


def event_create(*, practice: Any, actor: Any, **fields: Any) -> Event:
    event = Event(practice=practice, **fields)
    if event.ends_at and event.ends_at < event.starts_at:
        raise ValidationError({"ends_at": "The event must end after it starts."})
    event.full_clean()
    with transaction.atomic():
        event.save()
        audit_record(action="community.event_created", actor=actor, practice=practice, obj=event)
        site_changed(practice)
    return event


def board_create(*, practice: Any, actor: Any, title: str, description: str = "") -> Board:
    board = Board(practice=practice, title=title, description=description)
    board.slug = _unique_slug(Board, practice, title)
    board.full_clean()
    with transaction.atomic():
        board.save()
        audit_record(action="community.board_created", actor=actor, practice=practice, obj=board)
        site_changed(practice)
    return board


def board_card_create(
    *,
    board: Board,
    actor: Any,
    title: str,
    image: Any,
    alt_text: str,
    text: str = "",
    link: str = "",
) -> BoardCard:
    _require_alt(image, alt_text, "alt_text")
    card = BoardCard(
        practice=board.practice,
        board=board,
        title=title,
        text=text,
        image=image,
        alt_text=alt_text,
        link=link,
    )
    card.full_clean()
    with transaction.atomic():
        card.save()
        audit_record(
            action="community.card_created", actor=actor, practice=board.practice, obj=card
        )
        site_changed(board.practice)
    return card
