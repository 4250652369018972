"""Field validators: display names, welcome-video links, uploaded images, NPI numbers."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError

DISPLAY_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._\-']{1,38}[A-Za-z0-9.]$")
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{6,12}$")


def validate_display_name(value: str) -> None:
    """Letters, digits, spaces and . _ - ' only: 3 to 40 characters, no markup possible."""
    if not DISPLAY_NAME.match(value or ""):
        raise ValidationError(
            "Use 3–40 letters, digits, spaces or . _ - ' (start and end with a letter or digit)."
        )


def video_embed_url(value: str) -> str | None:
    """The privacy-enhanced embed URL for a YouTube or Vimeo link, or None if not one."""
    parts = urlsplit((value or "").strip())
    if parts.scheme != "https":
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path.rstrip("/")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "/watch":
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
        elif path.startswith(("/embed/", "/shorts/")):
            video_id = path.split("/")[2]
    elif host == "youtu.be":
        video_id = path.lstrip("/")
    if video_id is not None:
        if not _YOUTUBE_ID.match(video_id):
            return None
        return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host in {"vimeo.com", "player.vimeo.com"}:
        video_id = path.split("/")[-1]
        if _VIMEO_ID.match(video_id):
            return f"https://player.vimeo.com/video/{video_id}?dnt=1"
    return None


def validate_video_url(value: str) -> None:
    if value and video_embed_url(value) is None:
        raise ValidationError(
            "Give an https YouTube (youtube.com/watch?v=…, youtu.be/…) or Vimeo (vimeo.com/123456) link."
        )


def validate_image_file(file) -> None:  # type: ignore[no-untyped-def]
    ext = PurePosixPath(getattr(file, "name", "") or "").suffix.lower()
    if ext not in IMAGE_EXTENSIONS:
        raise ValidationError("Upload a JPEG, PNG, WebP or GIF image.")
    if getattr(file, "size", 0) > MAX_IMAGE_BYTES:
        raise ValidationError("Images may be at most 2 MB.")


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the 9 digits prefixed with 80840 (CMS)."""
    if not re.fullmatch(r"[12][0-9]{9}", npi or ""):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:  # rightmost payload digit is doubled (the check digit is not included)
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(npi[9])


def validate_npi(value: str) -> None:
    if not npi_is_valid(value):
        raise ValidationError("Enter the 10-digit NPI number; this one fails the NPI check digit.")
