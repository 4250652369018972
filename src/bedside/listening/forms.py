from __future__ import annotations

from django import forms

from bedside.listening.models import AlertSettings, Mention, Monitor


class MonitorForm(forms.Form):
    name = forms.CharField(max_length=200)
    phrases = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One phrase or hashtag a line. Case, accents and punctuation do not matter.",
    )
    exclude = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: an item containing any of these is not a mention.",
    )
    languages = forms.CharField(
        required=False, help_text="Two-letter codes, e.g. en es. Empty: any language."
    )
    kind = forms.ChoiceField(choices=Monitor.Kind.choices, initial=Monitor.Kind.CUSTOM)
    active = forms.BooleanField(required=False, initial=True)

    @classmethod
    def for_monitor(cls, monitor: Monitor, data=None) -> MonitorForm:  # type: ignore[no-untyped-def]
        return cls(
            data,
            initial={
                "name": monitor.name,
                "phrases": "\n".join(monitor.phrases),
                "exclude": "\n".join(monitor.exclude),
                "languages": " ".join(monitor.languages),
                "kind": monitor.kind,
                "active": monitor.active,
            },
        )


class SourceForm(forms.Form):
    uri = forms.CharField(
        label="Source",
        max_length=1000,
        help_text="rss:https://…, atom:https://… (Google Alerts feeds), mastodon:https://instance/tags/flu, "
        "mastodon-stream:https://instance/tags/flu, bluesky:jetstream, reddit:https://www.reddit.com/r/x/new.json",
    )
    name = forms.CharField(max_length=200, required=False)
    poll_interval_seconds = forms.IntegerField(
        label="Check every (seconds)", min_value=60, max_value=86400, initial=300
    )
    active = forms.BooleanField(required=False, initial=True)


class AlertSettingsForm(forms.ModelForm):
    class Meta:
        model = AlertSettings
        fields = [
            "instant_negative", "misinformation_spike", "spike_threshold", "spike_window_minutes",
            "daily_digest", "digest_hour",
        ]  # fmt: skip


class MentionFilterForm(forms.Form):
    monitor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sentiment = forms.ChoiceField(
        required=False, choices=[("", "Any sentiment"), *Mention.Sentiment.choices]
    )
    state = forms.ChoiceField(required=False, choices=[("", "Any state"), *Mention.State.choices])
    source = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    misinformation = forms.BooleanField(required=False, label="Myths only")

    def __init__(self, *args, monitors=(), sources=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["monitor"].choices = [("", "Any monitor")] + [(m.pk, m.name) for m in monitors]
        self.fields["source"].choices = [("", "Any source")] + [(s.pk, str(s)) for s in sources]
