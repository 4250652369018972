from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth.password_validation import validate_password

from bedside.accounts.permissions import Role
from bedside.core.models import Practice

ROLE_CHOICES = [(r.value, r.label) for r in Role]
_ZONES = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith("Etc/"))


class PracticeProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=[(z, z) for z in _ZONES])
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Practice
        fields = [
            "name", "time_zone", "street_address", "city", "state", "postal_code", "phone", "fax",
            "email", "website", "description", "idle_timeout_minutes",
        ]  # fmt: skip

    def clean_idle_timeout_minutes(self) -> int:
        value = self.cleaned_data["idle_timeout_minutes"]
        if not 1 <= value <= 60:
            raise forms.ValidationError("Choose between 1 and 60 minutes.")
        return value


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address")
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Token name", help_text="What will use it, e.g. “reporting script”."
    )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Repeat the password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError("The two passwords differ.")
        if data.get("password1"):
            validate_password(data["password1"])
        return data
