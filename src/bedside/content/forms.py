from __future__ import annotations

import datetime as dt

from django import forms

from bedside.core.timeutil import local_to_utc

MAX_IMAGE_BYTES = 8 * 1024 * 1024
FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the practice's zone, kept naive here and made aware by
    core.timeutil.local_to_utc, which resolves DST gaps and repeats (Django's own
    field refuses an ambiguous 01:30 on the autumn change)."""

    def to_python(self, value):  # type: ignore[no-untyped-def]
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None)
        for fmt in FORMATS:
            try:
                return dt.datetime.strptime(str(value).strip(), fmt)  # noqa: DTZ007
            except ValueError:
                continue
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class ComposeForm(forms.Form):
    """The composer. Variants are extra fields named variant_<channel id>."""

    text = forms.CharField(
        label="Post text", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    channels = forms.MultipleChoiceField(
        label="Publish to", widget=forms.CheckboxSelectMultiple, required=True
    )
    scheduled_local = LocalDateTimeField(
        label="When (practice time)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    pillar = forms.TypedChoiceField(label="Pillar", required=False, coerce=int, empty_value=None)
    campaign = forms.TypedChoiceField(
        label="Campaign", required=False, coerce=int, empty_value=None
    )
    image = forms.FileField(label="Image (optional)", required=False)
    alt_text = forms.CharField(
        label="Image description (alt text)",
        required=False,
        max_length=1000,
        help_text="Required with an image: what would someone who cannot see it need to know?",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, channels=(), pillars=(), campaigns=(), zone="UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.channel_objects = list(channels)
        self.fields["channels"].choices = [
            (str(c.pk), f"{c.name} ({c.get_type_display()})") for c in self.channel_objects
        ]
        self.fields["pillar"].choices = [("", "—")] + [(p.pk, p.name) for p in pillars]
        self.fields["campaign"].choices = [("", "—")] + [(c.pk, c.name) for c in campaigns]
        for channel in self.channel_objects:
            self.fields[f"variant_{channel.pk}"] = forms.CharField(
                label=f"Text for {channel.name} (leave empty to use the post text)",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        if data.get("image") and not (data.get("alt_text") or "").strip():
            self.add_error("alt_text", "Describe the image for people who cannot see it.")
        image = data.get("image")
        if image and image.size > MAX_IMAGE_BYTES:
            self.add_error("image", "The image is larger than 8 MB.")
        return data

    def scheduled_at(self) -> dt.datetime | None:
        local = self.cleaned_data.get("scheduled_local")
        if not local:
            return None
        return local_to_utc(local.replace(tzinfo=None), self.zone)

    def variants(self) -> dict[int, str]:
        chosen = {int(c) for c in self.cleaned_data.get("channels") or []}
        return {
            c.pk: self.cleaned_data.get(f"variant_{c.pk}", "")
            for c in self.channel_objects
            if c.pk in chosen and (self.cleaned_data.get(f"variant_{c.pk}") or "").strip()
        }


class MoveForm(forms.Form):
    """Keyboard-accessible "move to": a new local date and time."""

    when = LocalDateTimeField(
        label="Move to",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        required=False,
    )
    date = forms.DateField(required=False, widget=forms.HiddenInput)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Why is this safe to publish?", widget=forms.Textarea(attrs={"rows": 3})
    )


class CredibleDomainsForm(forms.Form):
    domains = forms.CharField(
        label="Credible health sources (one domain a line)",
        widget=forms.Textarea(attrs={"rows": 10}),
    )
