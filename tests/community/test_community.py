"""Patient community: joining, posting through the self-disclosure guard, moderation,
rate limits, reactions, reports and the separation of members from staff pages."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client

from bedside.audit.models import AuditEvent
from bedside.community import services
from bedside.community.models import CommunityMember, Post, PostReport, Reaction, Thread
from tests.community import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def member_client(member) -> Client:
    client = Client()
    client.force_login(member.user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def join(client, practice, **overrides):
    data = {
        "display_name": "sunny_walker",
        "email": "pat@mail.test",
        "password": "a-long-pass-phrase-9",
        "accept_guidelines": "on",
        **overrides,
    }
    return client.post(f"/p/{practice.slug}/join/", data)


@pytest.mark.django_db(transaction=True)
def test_join_sends_a_verification_link_that_activates_and_signs_in(practice):
    client = Client()
    response = join(client, practice)

    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    member = CommunityMember.objects.get(practice=practice)
    assert (member.display_name, member.status, member.user.memberships.count()) == (
        "sunny_walker", "pending", 0,
    )  # fmt: skip
    assert member.guidelines_accepted_at is not None
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pat@mail.test"]
    link = re.search(r"http://testserver(/p/\S+/verify/\S+/)", mail.outbox[0].body).group(1)

    response = client.get(link)

    assert response.status_code == 302 and response["Location"] == f"/p/{practice.slug}/community/"
    member.refresh_from_db()
    assert member.status == "active" and member.email_verified_at is not None
    assert "sunny_walker" in client.get(f"/p/{practice.slug}/community/").content.decode()
    again = Client().get(link)  # a used link signs no one in
    assert again.status_code == 302 and again["Location"].startswith("/accounts/login/")


def test_join_requires_guidelines_and_a_safe_display_name(practice):
    response = join(Client(), practice, accept_guidelines="", display_name="<b>x</b>")
    body = response.content.decode()
    assert "This field is required." in body
    assert "Use 3–40 letters" in body
    assert CommunityMember.objects.count() == 0 and mail.outbox == []


def test_join_with_a_known_email_reveals_nothing(practice, owner):
    response = join(Client(), practice, email=owner.user.email)
    assert "Check your e-mail" in response.content.decode()
    assert CommunityMember.objects.count() == 0
    assert "already has an account" in mail.outbox[0].body


def test_bad_verification_token_is_400(practice):
    assert Client().get(f"/p/{practice.slug}/verify/garbage/").status_code == 400


def test_unverified_member_cannot_post(practice):
    member = f.make_member(practice, status="pending")
    forum = f.make_forum(practice)
    response = member_client(member).post(
        f"/p/{practice.slug}/community/{forum.slug}/new/", {"title": "Hi", "body": "Hello"}
    )
    assert response.status_code == 403
    assert Thread.objects.count() == 0


@pytest.mark.parametrize(
    "path", ["/", "/community/", "/community/moderation/", "/settings/", "/content/", "/peers/"]
)
def test_community_members_never_reach_staff_pages(practice, path):
    member = f.make_member(practice)
    response = member_client(member).get(path)
    assert response.status_code in (403, 404)


def test_post_with_own_phone_warns_then_edit_posts_without_warning(practice):
    member = f.make_member(practice)
    forum = f.make_forum(practice)
    client = member_client(member)
    url = f"/p/{practice.slug}/community/{forum.slug}/new/"

    warned = client.post(url, {"title": "Walking buddies", "body": "Text me at 217-555-0199!"})

    body = warned.content.decode()
    assert warned.status_code == 200
    assert "Before you post: this shares personal information" in body
    assert "Phone" in body
    assert Thread.objects.count() == 0 and Post.objects.count() == 0

    edited = client.post(
        url, {"title": "Walking buddies", "body": "Reply here if you'd like to walk!"}
    )

    assert edited.status_code == 302
    thread = Thread.objects.get()
    assert thread.posts.get().body == "Reply here if you'd like to walk!"
    assert thread.posts.get().disclosure_confirmed is False


def test_confirmed_disclosure_posts_exactly_the_warned_text(practice):
    member = f.make_member(practice)
    forum = f.make_forum(practice)
    body = "I'm Jane Doe and I have diabetes, born 03/14/1962."
    with pytest.raises(services.DisclosureWarning) as warning:
        services.thread_start(member=member, forum=forum, title="Hello", body=body)
    assert {x["category"] for x in warning.value.result.findings} >= {"name", "date"}

    with pytest.raises(services.DisclosureWarning):  # a digest for other text does not count
        services.thread_start(
            member=member, forum=forum, title="Hello", body=body + " ",
            confirmed_digest=warning.value.digest,
        )  # fmt: skip
    thread = services.thread_start(
        member=member, forum=forum, title="Hello", body=body, confirmed_digest=warning.value.digest
    )
    assert thread.posts.get().disclosure_confirmed is True
    event = AuditEvent.objects.get(action="community.thread_started")
    assert event.data == {
        "post_id": thread.posts.get().pk,
        "status": "visible",
        "disclosure_confirmed": True,
    }
    assert "Jane" not in str(event.data)


def test_confirm_checkbox_is_needed_in_the_form(practice):
    member = f.make_member(practice)
    forum = f.make_forum(practice)
    client = member_client(member)
    url = f"/p/{practice.slug}/community/{forum.slug}/new/"
    data = {"title": "Hi", "body": "Email me: pat@mail.test"}
    warned = client.post(url, data)
    digest = re.search(
        r'name="confirmed_digest" value="([0-9a-f]{64})"', warned.content.decode()
    ).group(1)

    again = client.post(url, {**data, "confirmed_digest": digest})  # box not ticked
    assert "Before you post" in again.content.decode() and Thread.objects.count() == 0

    posted = client.post(url, {**data, "confirmed_digest": digest, "confirm_disclosure": "1"})
    assert posted.status_code == 302 and Thread.objects.count() == 1


def test_new_members_first_post_is_held_until_approved(practice, editor):
    member = f.make_member(practice, trusted=False)
    forum = f.make_forum(practice)
    thread = services.thread_start(member=member, forum=forum, title="Hello all", body="New here!")
    assert thread.status == "held"
    assert (
        "Hello all"
        not in Client().get(f"/p/{practice.slug}/community/{forum.slug}/").content.decode()
    )
    assert Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").status_code == 404
    own = member_client(member).get(f"/p/{practice.slug}/threads/{thread.pk}/")
    assert "waiting for a moderator" in own.content.decode()

    services.post_approve(post=thread.posts.get(), actor=editor.user)

    assert "New here!" in Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    member.refresh_from_db()
    assert member.trusted is True
    second = services.thread_start(member=member, forum=forum, title="Again", body="Hi!")
    assert second.status == "visible"


def test_rate_limit_stops_the_sixth_post_in_ten_minutes(practice):
    member = f.make_member(practice)
    forum = f.make_forum(practice)
    thread = f.make_thread(forum, f.make_member(practice))
    with time_machine.travel("2026-05-01 12:00:00+00:00", tick=False):
        for i in range(5):
            services.post_reply(member=member, thread=thread, body=f"Reply {i}")
        with pytest.raises(services.PostingRateLimited):
            services.post_reply(member=member, thread=thread, body="one too many")
    with time_machine.travel("2026-05-01 12:11:00+00:00", tick=False):
        services.post_reply(member=member, thread=thread, body="later")
    assert Post.objects.filter(author=member).count() == 6


def test_moderator_hides_and_restores_a_reported_post(practice, editor, login):
    author = f.make_member(practice, "loud_one")
    reporter = f.make_member(practice, "kind_one")
    forum = f.make_forum(practice)
    thread = f.make_thread(forum, author)
    reply = services.post_reply(member=author, thread=thread, body="Buy my miracle cure!")
    member_client(reporter).post(f"/p/{practice.slug}/posts/{reply.pk}/report/", {"reason": "spam"})
    assert PostReport.objects.filter(post=reply, resolved_at=None).count() == 1
    staff = login(editor)
    assert "Buy my miracle cure!" in staff.get("/community/moderation/").content.decode()

    staff.post(f"/community/posts/{reply.pk}/hide/")

    reply.refresh_from_db()
    assert reply.status == "hidden"
    assert (
        "miracle" not in Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    )
    assert PostReport.objects.get().resolved_by == editor.user
    staff.post(f"/community/posts/{reply.pk}/restore/")
    assert "miracle" in Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    actions = list(
        AuditEvent.objects.filter(action__startswith="community.post_").values_list(
            "action", "data"
        )
    )
    assert ("community.post_hidden", {"from": "visible", "to": "hidden"}) in actions
    assert ("community.post_restored", {"from": "hidden", "to": "visible"}) in actions


def test_viewer_cannot_hide_posts_and_nothing_changes(practice, viewer, login):
    author = f.make_member(practice)
    thread = f.make_thread(f.make_forum(practice), author)
    post = thread.posts.get()
    assert login(viewer).post(f"/community/posts/{post.pk}/hide/").status_code == 403
    post.refresh_from_db()
    assert post.status == "visible"
    assert not AuditEvent.objects.filter(action="community.post_hidden").exists()


def test_suspended_member_cannot_post_or_react(practice, editor, login):
    member = f.make_member(practice)
    thread = f.make_thread(f.make_forum(practice), f.make_member(practice))
    login(editor).post(f"/community/members/{member.pk}/suspend/")
    member.refresh_from_db()
    assert member.status == "suspended"
    client = member_client(member)
    assert (
        client.post(f"/p/{practice.slug}/threads/{thread.pk}/", {"body": "hi"}).status_code == 403
    )
    post = thread.posts.get()
    assert (
        client.post(f"/p/{practice.slug}/posts/{post.pk}/react/", {"kind": "like"}).status_code
        == 403
    )
    login(editor).post(f"/community/members/{member.pk}/suspend/", {"action": "reinstate"})
    member.refresh_from_db()
    assert member.status == "active"


def test_reactions_toggle_and_show_in_the_thread(practice):
    member = f.make_member(practice)
    thread = f.make_thread(f.make_forum(practice), f.make_member(practice))
    post = thread.posts.get()
    client = member_client(member)
    client.post(f"/p/{practice.slug}/posts/{post.pk}/react/", {"kind": "support"})
    assert "1 reaction" in Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").content.decode()
    client.post(f"/p/{practice.slug}/posts/{post.pk}/react/", {"kind": "support"})
    assert Reaction.objects.count() == 0


def test_topic_of_week_is_pinned_and_unique(practice, editor):
    forum = f.make_forum(practice)
    a = f.make_thread(forum, f.make_member(practice), title="Sleep")
    b = f.make_thread(forum, f.make_member(practice), title="Hydration")
    services.thread_pin(thread=a, actor=editor.user, pinned=True, topic_of_week=True)
    services.thread_pin(thread=b, actor=editor.user, pinned=True, topic_of_week=True)
    assert list(Thread.objects.filter(topic_of_week=True)) == [b]
    body = Client().get(f"/p/{practice.slug}/community/").content.decode()
    assert "Health topic of the week" in body and "Hydration" in body


def test_members_only_forum_is_404_for_another_practices_member(practice, other_practice):
    private = f.make_forum(practice, "Diabetes support", visibility="members", kind="support_group")
    thread = f.make_thread(private, f.make_member(practice), title="Insulin tips")
    ours = member_client(f.make_member(practice))
    theirs = member_client(f.make_member(other_practice))

    assert ours.get(f"/p/{practice.slug}/community/{private.slug}/").status_code == 200
    assert theirs.get(f"/p/{practice.slug}/community/{private.slug}/").status_code == 404
    assert theirs.get(f"/p/{practice.slug}/threads/{thread.pk}/").status_code == 404
    assert Client().get(f"/p/{practice.slug}/threads/{thread.pk}/").status_code == 404
    assert "Diabetes support" not in theirs.get(f"/p/{practice.slug}/community/").content.decode()
    # the thread id under the other practice's slug is not found either
    assert ours.get(f"/p/{other_practice.slug}/threads/{thread.pk}/").status_code == 404


def test_member_of_one_practice_cannot_post_in_another(practice, other_practice):
    forum = f.make_forum(practice)
    theirs = member_client(f.make_member(other_practice))
    response = theirs.post(
        f"/p/{practice.slug}/community/{forum.slug}/new/", {"title": "x", "body": "y"}
    )
    assert response.status_code == 403
    assert Thread.objects.count() == 0


def test_support_group_lists_meetings(practice, editor):
    import datetime as dt

    from django.utils import timezone

    group = f.make_forum(practice, "Heart health group", kind="support_group")
    services.meeting_add(
        forum=group, actor=editor.user, starts_at=timezone.now() + dt.timedelta(days=3),
        mode="in_person", location="Clinic room B",
    )  # fmt: skip
    body = Client().get(f"/p/{practice.slug}/community/{group.slug}/").content.decode()
    assert "In person: Clinic room B" in body


def test_thread_page_with_many_replies_uses_few_queries(practice, django_assert_max_num_queries):
    thread = f.make_thread(f.make_forum(practice), f.make_member(practice), replies=200)
    client = Client()
    with django_assert_max_num_queries(8):
        response = client.get(f"/p/{practice.slug}/threads/{thread.pk}/")
    assert response.content.decode().count('class="post"') == 201


def test_member_signs_in_with_allauth_and_lands_on_the_community(practice):
    member = f.make_member(practice, "signs_in", email="walker@mail.test")
    client = Client()
    response = client.post(
        f"/accounts/login/?next=/p/{practice.slug}/community/",
        {"login": "walker@mail.test", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/p/{practice.slug}/community/"
    assert "signs_in" in client.get(f"/p/{practice.slug}/community/").content.decode()
    assert client.get("/").status_code == 403  # no staff Membership: the dashboard is closed
    assert member.user.memberships.count() == 0
