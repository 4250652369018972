from __future__ import annotations

from django import forms

from bedside.channels.limits import NAMES
from bedside.compliance.engine import CATEGORIES
from bedside.compliance.models import COVERS, KIND_CHOICES
from bedside.compliance.services import MAX_DOCUMENT_BYTES

CHANNEL_CHOICES = [(k, v[0].upper() + v[1:]) for k, v in NAMES.items()] + [
    ("community", "Practice site and community")
]
CONSENT_CHANNEL_CHOICES = [("all", "All channels"), *CHANNEL_CHOICES]
CATEGORY_CHOICES = [(c, c.replace("_", " ").capitalize()) for c in CATEGORIES]

DEFAULT_AUTHORIZATION = (
    "I authorize {practice} to use and publish the information checked above about me "
    "(my name, my story, my photo) on the channels listed, for the practice's social media "
    "and website, until the expiry date. I understand that I may revoke this authorization "
    "at any time by telling the practice in writing, except where it has already been used; "
    "that my treatment does not depend on signing it; and that information published may be "
    "seen and shared by others and no longer protected by federal privacy rules."
)


class CheckForm(forms.Form):
    kind = forms.ChoiceField(choices=KIND_CHOICES, initial="post", label="Kind of text")
    channel = forms.ChoiceField(
        choices=[("", "Any channel"), *CHANNEL_CHOICES], required=False, label="Channel"
    )
    text = forms.CharField(required=False, widget=forms.Textarea, strip=False)


class PolicyForm(forms.Form):
    sensitive_categories = forms.MultipleChoiceField(
        choices=CATEGORY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sensitive categories",
        help_text="Any finding in these categories needs a second person's approval, "
        "even an information note.",
    )
    require_approval_for_all = forms.BooleanField(
        required=False, label="A second person approves every text"
    )
    block_on_warn_in_replies = forms.BooleanField(
        required=False, label="In replies and messages, warnings block"
    )


class StaffForm(forms.Form):
    name = forms.CharField(
        max_length=120, label="Name as written", help_text="With the title, e.g. Dr. Priya Raman."
    )
    role_title = forms.CharField(max_length=80, required=False, label="Role or title")


class ConsentForm(forms.Form):
    patient_name = forms.CharField(max_length=200, label="Patient's name")
    covers = forms.MultipleChoiceField(
        choices=COVERS, widget=forms.CheckboxSelectMultiple, label="What may be published"
    )
    channels = forms.MultipleChoiceField(
        choices=CONSENT_CHANNEL_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["all"],
        label="Where",
    )
    expires_on = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="Expires on"
    )
    authorization_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}), label="Authorization text"
    )
    document = forms.FileField(
        required=False,
        label="Signed authorization (PDF, PNG or JPEG, up to 10 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )
    signer_name = forms.CharField(
        max_length=200,
        required=False,
        label="Patient signs: type your full name",
        help_text="Or upload a signed form above.",
    )
    signed = forms.BooleanField(required=False, label="I authorize this use of my information")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and document.size > MAX_DOCUMENT_BYTES:
            raise forms.ValidationError("The document is over 10 MB.")
        return document


class RevokeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="E.g. the patient asked in writing on this date.",
    )
