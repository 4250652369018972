"""Forms: parse and validate input; services decide."""

from __future__ import annotations

from django import forms

from bedside.community.models import (
    ClinicianProfile,
    Event,
    Forum,
    GroupMeeting,
    PeerThread,
    PostReport,
    PrivateMessage,
    Reaction,
    Visibility,
)
from bedside.community.validators import validate_display_name, validate_npi, validate_video_url


class JoinForm(forms.Form):
    display_name = forms.CharField(
        max_length=40,
        validators=[validate_display_name],
        help_text="Shown with your posts. It need not be your real name — better if it is not.",
    )
    email = forms.EmailField(help_text="To confirm your account and sign in; never shown.")
    password = forms.CharField(widget=forms.PasswordInput, min_length=10, label="Password")
    accept_guidelines = forms.BooleanField(
        required=True, label="I have read and accept the community guidelines"
    )


class _Confirmable(forms.Form):
    confirmed_digest = forms.CharField(required=False, widget=forms.HiddenInput)


class ThreadForm(_Confirmable):
    title = forms.CharField(max_length=160)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Message")


class ReplyForm(_Confirmable):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your reply")


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(choices=PostReport.Reason.choices)


class QuestionForm(forms.Form):
    title = forms.CharField(max_length=160, label="Your question, in a line")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Details")


class MessageForm(forms.Form):
    subject = forms.CharField(max_length=160)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Message")
    question_id = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Answer")


class ProfileForm(forms.ModelForm):
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[validate_video_url],
        label="Welcome video link",
        help_text="YouTube or Vimeo; shown with the privacy-enhanced player.",
    )

    class Meta:
        model = ClinicianProfile
        fields = [
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
        ]
        labels = {"photo_alt": "Photo description (alt text)"}


class BlogForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), help_text="Markdown.")
    image = forms.FileField(required=False)
    alt_text = forms.CharField(max_length=250, required=False, label="Image description (alt text)")


class EventForm(forms.ModelForm):
    online_url = forms.URLField(required=False, assume_scheme="https", label="Online link")

    class Meta:
        model = Event
        fields = ["title", "description", "starts_at", "ends_at", "location", "online_url"]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }


class ForumForm(forms.Form):
    title = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Forum.Kind.choices)
    visibility = forms.ChoiceField(choices=Visibility.choices)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    mode = forms.ChoiceField(choices=GroupMeeting.Mode.choices)
    location = forms.CharField(max_length=200, required=False)
    join_url = forms.URLField(required=False, assume_scheme="https")


class BoardForm(forms.Form):
    title = forms.CharField(max_length=120)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CardForm(forms.Form):
    title = forms.CharField(max_length=160)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    image = forms.FileField()
    alt_text = forms.CharField(max_length=250, label="Image description (alt text)")
    link = forms.URLField(required=False, assume_scheme="https")


class PinForm(forms.Form):
    pinned = forms.BooleanField(required=False)
    topic_of_week = forms.BooleanField(required=False)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(required=False)


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=PrivateMessage.State.choices)


class ChallengeForm(forms.Form):
    from bedside.community.models import Challenge as _C

    title = forms.CharField(max_length=160)
    kind = forms.ChoiceField(choices=_C.Kind.choices)
    unit = forms.CharField(max_length=30)
    goal = forms.IntegerField(min_value=1)
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class JoinChallengeForm(forms.Form):
    on_leaderboard = forms.BooleanField(
        required=False, label="Show my display name and total on the leaderboard"
    )


class ProgressForm(forms.Form):
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.IntegerField(min_value=1)


class PeerInviteForm(forms.Form):
    membership = forms.IntegerField(widget=forms.Select, label="Clinician")
    npi = forms.CharField(max_length=10, label="NPI number", validators=[validate_npi])
    specialty = forms.CharField(max_length=120)
    interests = forms.CharField(max_length=300, required=False, help_text="Comma-separated.")


class PeerThreadForm(forms.Form):
    kind = forms.ChoiceField(choices=PeerThread.Kind.choices)
    title = forms.CharField(max_length=160)
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Case or question",
        help_text="De-identified only: no names, dates, places, numbers or photos of a patient.",
    )


class PeerReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your reply")


class StoryForm(forms.Form):
    title = forms.CharField(max_length=160)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), label="Your story")
    share_name = forms.BooleanField(
        required=False,
        label="I'd like my name shown with my story (the practice will ask you to sign a consent)",
    )
    photo = forms.FileField(required=False)
    photo_alt = forms.CharField(max_length=250, required=False, label="Photo description")


class StoryPublishForm(forms.Form):
    consent = forms.IntegerField(label="Consent on file")
