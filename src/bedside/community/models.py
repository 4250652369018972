"""The practice's public site, its patient community and the clinicians' peer space.

Texts written by people outside the practice (posts, questions, display names)
are stored as written; their HTML is rendered once on write (Markdown → nh3) and
kept beside them, so pages never render user HTML unsanitised and never pay for
Markdown on read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bedside.community.validators import (
    validate_display_name,
    validate_image_file,
    validate_npi,
    validate_video_url,
)
from bedside.core.models import Practice, PracticeOwned


class ClinicianProfile(PracticeOwned):
    """A person shown on the practice site: a clinician (profile page) or other team member."""

    class Kind(models.TextChoices):
        CLINICIAN = "clinician", "Clinician"
        STAFF = "staff", "Team member"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CLINICIAN)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=120, blank=True, help_text="e.g. MD, Family medicine")
    bio = models.TextField(blank=True, help_text="Markdown; shown on the profile page.")
    bio_html = models.TextField(blank=True, editable=False)
    specialties = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    interests = models.CharField(max_length=300, blank=True, help_text="Comma-separated.")
    photo = models.FileField(upload_to="site/people/", blank=True, validators=[validate_image_file])
    photo_alt = models.CharField(max_length=250, blank=True)
    video_url = models.URLField(
        blank=True,
        validators=[validate_video_url],
        help_text="A YouTube or Vimeo link; shown with the privacy-enhanced player.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="one_profile_slug")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        return [s.strip() for s in self.specialties.split(",") if s.strip()]

    @property
    def interest_list(self) -> list[str]:
        return [s.strip() for s in self.interests.split(",") if s.strip()]


class BlogEntry(PracticeOwned):
    """A blog post on the practice site; the publishing "site" connector creates these."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    summary = models.CharField(max_length=300, blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_post_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    image = models.FileField(upload_to="site/blog/", blank=True, validators=[validate_image_file])
    alt_text = models.CharField(max_length=250, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["practice", "slug"], name="one_blog_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.published_at is not None and self.unpublished_at is None


class Event(PracticeOwned):
    """An office event shown on the site (flu-shot clinic, open house, class)."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    online_url = models.URLField(blank=True)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class CommunityMember(PracticeOwned):
    """A patient (or anyone) in one practice's community: a user with no staff Membership.

    Known by a display name only; the e-mail is used to sign in and never shown.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for e-mail verification"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_members"
    )
    display_name = models.CharField(max_length=40, validators=[validate_display_name])
    about = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    guidelines_accepted_at = models.DateTimeField()
    email_verified_at = models.DateTimeField(null=True, blank=True)
    trusted = models.BooleanField(
        default=False, help_text="Set when a moderator approves the member's first post."
    )

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "user"], name="one_community_member"),
            models.UniqueConstraint(
                fields=["practice", "display_name"], name="unique_display_name"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def can_post(self) -> bool:
        return self.status == self.Status.ACTIVE


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members only"


class Forum(PracticeOwned):
    """A forum or a support group; members-only ones are invisible to everyone else."""

    class Kind(models.TextChoices):
        FORUM = "forum", "Forum"
        SUPPORT_GROUP = "support_group", "Support group"

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FORUM)
    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default="public")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "title"]
        constraints = [models.UniqueConstraint(fields=["practice", "slug"], name="one_forum_slug")]

    def __str__(self) -> str:
        return self.title


class GroupMeeting(models.Model):
    """A support-group meeting, online or in person."""

    class Mode(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField()
    mode = models.CharField(max_length=16, choices=Mode.choices)
    location = models.CharField(max_length=200, blank=True)
    join_url = models.URLField(blank=True)

    class Meta:
        ordering = ["starts_at"]


class PostStatus(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HELD = "held", "Held for review"
    HIDDEN = "hidden", "Hidden by a moderator"


class Thread(PracticeOwned):
    """A conversation in a forum; its first Post is the opening message."""

    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=160)
    status = models.CharField(max_length=16, choices=PostStatus.choices, default="visible")
    pinned = models.BooleanField(default=False)
    topic_of_week = models.BooleanField(
        default=False, help_text='Pinned "health topic of the week".'
    )
    reply_count = models.PositiveIntegerField(default=0)
    last_activity_at = models.DateTimeField(db_index=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every change (cache key)."
    )

    class Meta:
        ordering = ["-topic_of_week", "-pinned", "-last_activity_at"]

    def __str__(self) -> str:
        return self.title


class Post(PracticeOwned):
    """One message in a thread (the opening one or a reply)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=16, choices=PostStatus.choices, default="visible")
    is_opening = models.BooleanField(default=False)
    disclosure_confirmed = models.BooleanField(
        default=False, help_text="The member saw the self-disclosure warning and posted anyway."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "status", "created_at"])]


class Reaction(models.Model):
    """A member's reaction to a post; one of each kind per member."""

    class Kind(models.TextChoices):
        LIKE = "like", "Like"
        SUPPORT = "support", "Support"
        THANKS = "thanks", "Thanks"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="one_reaction_each")
        ]


class PostReport(PracticeOwned):
    """A member's report of a post, waiting in the moderation queue until resolved."""

    class Reason(models.TextChoices):
        PRIVACY = "privacy", "Shares someone's private information"
        ABUSE = "abuse", "Abusive or harassing"
        SPAM = "spam", "Spam or advertising"
        MEDICAL = "medical", "Dangerous medical advice"
        OTHER = "other", "Something else"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]


class Board(PracticeOwned):
    """A board the practice curates: healthy recipes, exercise tips, quotes."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["practice", "slug"], name="one_board_slug")]

    def __str__(self) -> str:
        return self.title


class BoardCard(PracticeOwned):
    """An image card on a board; alt text is required with the image."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    title = models.CharField(max_length=160)
    text = models.TextField(blank=True)
    image = models.FileField(upload_to="site/boards/", validators=[validate_image_file])
    alt_text = models.CharField(max_length=250)
    link = models.URLField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Question(PracticeOwned):
    """A public question to the practice's clinicians.

    A question disclosing the asker's own health details is HELD: never shown
    publicly, and the asker is offered the private message form instead.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ANSWERED = "answered", "Answered"
        HELD = "held", "Held privately (personal health details)"
        HIDDEN = "hidden", "Hidden by a moderator"

    asker = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="questions")
    title = models.CharField(max_length=160)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Answer(PracticeOwned):
    """A clinician's answer; it passed the compliance guard before it was saved."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=120)
    body = models.TextField()
    body_html = models.TextField(editable=False)

    class Meta:
        ordering = ["created_at", "pk"]


class PrivateMessage(PracticeOwned):
    """A member's private message to the practice: staff-only, assigned and worked through states."""

    class State(models.TextChoices):
        NEW = "new", "New"
        ASSIGNED = "assigned", "Assigned"
        WAITING = "waiting", "Waiting on patient"
        CLOSED = "closed", "Closed"

    member = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="messages")
    subject = models.CharField(max_length=160)
    body = models.TextField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class Challenge(PracticeOwned):
    """A practice-run health challenge with a goal, dates and an opt-in leaderboard."""

    class Kind(models.TextChoices):
        STEPS = "steps", "Steps"
        DISTANCE = "distance", "Distance (km)"
        RECIPES = "recipes", "Healthy recipes cooked"
        OTHER = "other", "Other"

    title = models.CharField(max_length=160)
    slug = models.SlugField(max_length=80)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    unit = models.CharField(max_length=30, help_text="steps, km, recipes…")
    goal = models.PositiveIntegerField(help_text="Per participant, for the whole challenge.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="one_challenge_slug"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="challenge_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ChallengeEntry(models.Model):
    """A member taking part in a challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(CommunityMember, on_delete=models.CASCADE, related_name="+")
    on_leaderboard = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "member"], name="one_challenge_entry")
        ]


class ChallengeProgress(models.Model):
    """One logged amount on one day."""

    entry = models.ForeignKey(ChallengeEntry, on_delete=models.CASCADE, related_name="progress")
    day = models.DateField()
    amount = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class PeerClinician(models.Model):
    """A clinician verified into the cross-practice peer space (invited by a practice)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="peer_profile"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    display_name = models.CharField(max_length=120)
    npi = models.CharField(max_length=10, unique=True, validators=[validate_npi])
    specialty = models.CharField(max_length=120)
    interests = models.CharField(max_length=300, blank=True)
    verified_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["specialty", "display_name"]

    def __str__(self) -> str:
        return self.display_name


class PeerThread(models.Model):
    """A de-identified case discussion or a question between peers."""

    class Kind(models.TextChoices):
        CASE = "case", "Case discussion"
        QUESTION = "question", "Question"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(PeerClinician, on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(max_length=160)
    specialty = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class PeerPost(models.Model):
    """A message in a peer thread; the guard blocked any PHI before it was saved."""

    thread = models.ForeignKey(PeerThread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(PeerClinician, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Story(PracticeOwned):
    """A patient's success story. Published only under a recorded consent covering "story"
    (and "name"/"photo" when shown) for the community channel; revoking the consent
    unpublishes it (see community.consents)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    member = models.ForeignKey(
        CommunityMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="stories"
    )
    title = models.CharField(max_length=160)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    share_name = models.BooleanField(
        default=False, help_text="The patient asked to be named (needs consent covering name)."
    )
    photo = models.FileField(
        upload_to="site/stories/", blank=True, validators=[validate_image_file]
    )
    photo_alt = models.CharField(max_length=250, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    consent = models.ForeignKey(
        "compliance.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    shown_name = models.CharField(max_length=200, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title
