"""The practice site and community in a real browser.

E-mail verification goes through a real SMTP server (aiosmtpd on 127.0.0.1, started
here); the link is read from the received message.
"""

from __future__ import annotations

import re
import socket
from email import message_from_bytes, policy

import pytest
from django.core.cache import cache

from bedside.accounts.permissions import Role
from bedside.community import services
from bedside.community.markup import render_markdown
from bedside.community.models import ClinicianProfile, CommunityMember, Post
from bedside.community.sitecache import PAGES
from tests.community import factories as f
from tests.community.htmlcheck import payloads
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


class Inbox:
    """aiosmtpd handler keeping every received message."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


@pytest.fixture
def maple(db):
    cache.clear()
    PAGES.clear()
    return PracticeFactory(name="Maple Family Clinic", slug="maple-family-clinic")


def staff(practice, role: Role, email: str, name: str):
    user = UserFactory(email=email, display_name=name, mfa=True)
    MembershipFactory(user=user, practice=practice, role=role.value)
    return user


def test_register_verify_post_with_warning_then_moderator_hides(
    page, browser, live_server, smtp, maple
):
    forum = f.make_forum(maple, "Healthy living")
    editor = staff(maple, Role.EDITOR, "editor@maple.test", "Will Turner")
    neighbour = f.make_member(maple, "kind_neighbour")

    # register
    page.goto(f"/p/{maple.slug}/join/")
    page.get_by_label("Display name").fill("sunny_walker")
    page.get_by_label("Email").fill("pat@mail.test")
    page.get_by_label("Password").fill("a-long-pass-phrase-9")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Create my account").click()
    assert page.get_by_role("heading", name="Check your e-mail").is_visible()

    # verify through the real SMTP server
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "pat@mail.test"
    link = re.search(r"https?://\S+/verify/\S+/", message.get_content()).group(0)
    page.goto(link)
    assert page.get_by_text("Welcome, sunny_walker! Your e-mail is confirmed.").is_visible()

    # post: the self-disclosure warning, edit, post
    page.goto(f"/p/{maple.slug}/community/{forum.slug}/new/")
    page.get_by_label("Title").fill("Evening walks")
    page.get_by_label("Message").fill("Anyone want to walk after dinner? Text me at 217-555-0199.")
    page.get_by_role("button", name="Post").click()
    warning = page.get_by_role("alert").filter(has_text="Before you post")
    assert warning.is_visible()
    assert Post.objects.count() == 0
    screenshot(page, "community-disclosure-warning")
    page.get_by_label("Message").fill("Anyone want to walk after dinner? Reply here!")
    page.get_by_role("button", name="Post").click()
    assert page.get_by_role("heading", name="Evening walks").is_visible()
    assert page.get_by_text("waiting for a moderator").is_visible()  # first post held
    post = Post.objects.get()
    assert post.body == "Anyone want to walk after dinner? Reply here!"

    # the member never reaches staff pages
    assert page.goto("/community/").status == 403

    # moderator approves the held post, a neighbour reports it, the moderator hides it
    mod = browser.new_context(base_url=live_server.url).new_page()
    sign_in(mod, editor.email, PASSWORD, editor.totp_secret)
    mod.goto("/community/moderation/")
    mod.locator(f"#held-{post.pk}").get_by_role("button", name="Approve").click()
    mod.get_by_text("Done.").wait_for()
    anon = browser.new_context(base_url=live_server.url).new_page()
    anon.goto(f"/p/{maple.slug}/threads/{post.thread_id}/")
    assert anon.get_by_text("Reply here!").is_visible()
    services.post_report(member=neighbour, post=post, reason="spam")
    mod.goto("/community/moderation/")
    mod.get_by_role("button", name=f"Hide post {post.pk}").click()
    mod.get_by_text("Done.").wait_for()
    post.refresh_from_db()
    assert post.status == "hidden"
    assert (
        anon.goto(f"/p/{maple.slug}/threads/{post.thread_id}/").status == 404
    )  # opening post hidden
    screenshot(mod, "community-moderation")


def test_story_with_consent_appears_and_disappears_on_revocation(page, browser, live_server, maple):
    officer = staff(maple, Role.COMPLIANCE_OFFICER, "compliance@maple.test", "Grace Okoye")
    editor_user = staff(maple, Role.EDITOR, "editor2@maple.test", "Will Turner")
    member = f.make_member(maple, "hiker")
    story = services.story_submit(
        member=member, title="Back to hiking", body="I hiked again this spring.", share_name=True
    )
    consent = f.make_consent(maple, name="Maria Lopez", covers=("story", "name"))
    services.story_publish(membership=editor_user.memberships.get(), story=story, consent=consent)

    page.goto(f"/p/{maple.slug}/stories/")
    assert page.get_by_role("link", name="Back to hiking").is_visible()
    assert page.get_by_text("Maria Lopez").is_visible()

    staff_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(staff_page, officer.email, PASSWORD, officer.totp_secret)
    staff_page.goto(f"/compliance/consents/{consent.pk}/")
    assert staff_page.get_by_role("link", name="Back to hiking").is_visible()  # listed as a usage
    staff_page.get_by_label("Reason").fill("Patient asked to withdraw")
    staff_page.get_by_role("button", name="Revoke consent").click()
    staff_page.get_by_text("Consent revoked.").wait_for()
    story.refresh_from_db()
    assert story.status == "unpublished"

    page.goto(f"/p/{maple.slug}/stories/")
    assert page.get_by_text("No stories yet.").is_visible()
    assert page.goto(f"/p/{maple.slug}/stories/{story.pk}/").status == 404


INJECTED_CHECK = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(el.tagName + '[' + a.name + ']');
      if (['href','src','action','formaction','xlink:href'].includes(a.name) &&
          /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(el.tagName + '[' + a.name + ']');
    }
  }
  for (const s of document.querySelectorAll('script,iframe,object,embed,svg')) bad.push(s.tagName);
  return bad;
}"""


def test_xss_corpus_renders_inert(page, maple):
    corpus = payloads()
    forum = f.make_forum(maple, "Open forum")
    author = f.make_member(maple, "corpus_author")
    thread = f.make_thread(forum, author, title=corpus[0][:160], body=corpus[1])
    for i, payload in enumerate(corpus):
        writer = CommunityMember.objects.create(  # display names stored raw: past validation
            practice=maple, user=UserFactory(email=f"x{i}@mail.test"),
            display_name=f"{payload[:34]}{i}", status="active", trusted=True,
            guidelines_accepted_at=thread.created_at,
        )  # fmt: skip
        Post.objects.create(
            practice=maple, thread=thread, author=writer, body=payload,
            body_html=render_markdown(payload),
        )  # fmt: skip
        ClinicianProfile.objects.create(
            practice=maple, name=payload[:120], slug=f"p{i}", title=payload[:120],
            specialties=payload[:300], bio=payload, bio_html=render_markdown(payload),
        )  # fmt: skip
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    for path in [f"/p/{maple.slug}/threads/{thread.pk}/", f"/p/{maple.slug}/team/"] + [
        f"/p/{maple.slug}/team/p{i}/" for i in range(0, len(corpus), 10)
    ]:
        page.goto(path)
        page.wait_for_timeout(50)
        assert page.evaluate(INJECTED_CHECK) == [], path
    page.goto(f"/p/{maple.slug}/threads/{thread.pk}/")
    assert page.locator("article.post").count() == len(corpus) + 1
    page.mouse.move(200, 300)
    page.wait_for_timeout(300)
    assert dialogs == []
