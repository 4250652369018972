from __future__ import annotations

import json

from django import forms

from bedside.channels.models import ChannelType


class ChannelForm(forms.Form):
    type = forms.ChoiceField(choices=ChannelType.choices, label="Network")
    name = forms.CharField(max_length=120, label="Name shown in Bedside")
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Address",
        help_text="Webhook URL, or the server address (e.g. https://mastodon.social).",
    )
    secret = forms.CharField(
        required=False,
        label="Secret or access token",
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted; Bedside never shows it again.",
    )
    refresh_token = forms.CharField(
        required=False, label="Refresh token", widget=forms.PasswordInput(render_value=False)
    )
    extra = forms.CharField(
        required=False,
        label="Other settings (JSON)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='For example {"page_id": "123"}. Secrets typed here are encrypted too.',
    )

    def clean_extra(self) -> dict:
        raw = self.cleaned_data.get("extra") or ""
        if not raw.strip():
            return {}
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError("This is not valid JSON.") from None
        if not isinstance(value, dict):
            raise forms.ValidationError('Use an object, e.g. {"page_id": "123"}.')
        return value

    def settings_dict(self) -> dict:
        data = self.cleaned_data
        settings = dict(data.get("extra") or {})
        kind = data.get("type")
        if data.get("url"):
            settings["url" if kind == ChannelType.WEBHOOK else "base_url"] = data["url"]
        if data.get("secret"):
            settings["secret" if kind == ChannelType.WEBHOOK else "access_token"] = data["secret"]
        if data.get("refresh_token"):
            settings["refresh_token"] = data["refresh_token"]
        return settings


class ReconnectForm(ChannelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("type", "name"):
            self.fields.pop(name)

    def settings_dict(self, kind: str = "") -> dict:  # type: ignore[override]
        self.cleaned_data["type"] = kind
        return super().settings_dict()
