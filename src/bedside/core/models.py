"""The tenant: a Practice, and the base every practice-owned model shares."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone, e.g. America/Chicago.")


class Practice(models.Model):
    """A medical practice: the tenant every piece of practice data belongs to.

    Its public facts (name, phone, address, website) are allowed in outgoing
    texts; the compliance guard reads them from here.
    """

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    street_address = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(
        blank=True, help_text="Public profile shown on the practice site."
    )
    idle_timeout_minutes = models.PositiveSmallIntegerField(
        default=15,
        help_text="Members are signed out after this many idle minutes (HIPAA automatic logoff).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address_line(self) -> str:
        parts = [
            self.street_address,
            self.city,
            " ".join(p for p in (self.state, self.postal_code) if p),
        ]
        return ", ".join(p for p in parts if p)


class PracticeOwned(models.Model):
    """Base for every row that belongs to one practice; selectors filter on it."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
