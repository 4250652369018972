"""Every community URL: staff pages (role × URL, isolation) and the public site.

Public-site pages (/p/<slug>/...) are scope "public": they show only published,
public content of the practice named in the URL, so the matrix's "list" check
(which looks for the practice's name) does not apply; their isolation is tested
in tests/community/test_site_isolation.py (a members-only forum of practice A
is 404 for practice B's members, held posts never show, and so on).
"""

from bedside.accounts.permissions import Perm
from tests.community import factories as f
from tests.url_cases import UrlCase

SITE = "public practice site: shows only the practice's published public content (isolation tested separately)"
MEMBER = "community member action on the public site; needs a CommunityMember of this practice (tested in test_community_views)"
PEERS = "the peer space is cross-practice by design (verified clinicians of every practice); access tested per role"


def _setup(w):
    p = w.practice
    if "cm_forum" in w.objects:
        return
    member = f.make_member(p, "maple_walker")
    forum = f.make_forum(p)
    thread = f.make_thread(forum, member, replies=1)
    w.objects.update(
        cm_member=member,
        cm_forum=forum,
        cm_private_forum=f.make_forum(
            p, "Diabetes support", visibility="members", kind="support_group"
        ),
        cm_thread=thread,
        cm_post=thread.posts.last(),
        cm_blog=f.make_blog(p),
        cm_question=f.make_question(p, member),
        cm_message=f.make_message(p, member),
        cm_board=f.make_board(p),
        cm_challenge=f.make_challenge(p),
    )
    from bedside.community.models import ClinicianProfile

    w.objects["cm_profile"] = ClinicianProfile.objects.create(
        practice=p, name="Dr. June Park", slug="dr-june-park", title="MD"
    )
    w.objects["cm_peer_owner"] = f.make_peer(w.personas["owner"], f.VALID_NPIS[0])
    w.objects["cm_peer_clinician"] = f.make_peer(w.personas["clinician"], f.VALID_NPIS[1])
    w.objects["cm_peer_thread"] = f.make_peer_thread(w.objects["cm_peer_owner"])
    consent = f.make_consent(p)
    w.objects["cm_story"] = f.make_story(p, member, consent=consent)
    w.objects["cm_draft_story"] = f.make_story(p, member, title="Draft")


def _o(name):
    return lambda w: w.objects[name].pk


def site(name, path, method="get", reason=SITE):
    return UrlCase(
        f"site:{name}",
        lambda w: f"/p/{w.practice.slug}/" + path(w),
        method=method,
        perm=None,
        scope="public",
        reason=reason,
        setup=_setup,
    )


def staff(name, path, perm=Perm.VIEW, method="get", scope="list", data=None):
    return UrlCase(
        f"community:{name}",
        lambda w: "/community/" + path(w),
        method=method,
        perm=perm,
        scope=scope,
        data=data,
        setup=_setup,
    )


CASES = [
    site("home", lambda w: ""),
    site("team", lambda w: "team/"),
    site("profile", lambda w: "team/dr-june-park/"),
    site("blog", lambda w: "blog/"),
    site("blog_entry", lambda w: f"blog/{w.objects['cm_blog'].slug}/"),
    site("events", lambda w: "events/"),
    site("feed_rss", lambda w: "feed.xml"),
    site("feed_atom", lambda w: "atom.xml"),
    site("guidelines", lambda w: "guidelines/"),
    site("boards", lambda w: "boards/"),
    site("board", lambda w: "boards/healthy-recipes/"),
    site("stories", lambda w: "stories/"),
    site("story", lambda w: f"stories/{w.objects['cm_story'].pk}/"),
    site("story_submit", lambda w: "stories/share/", reason=MEMBER),
    site("join", lambda w: "join/", reason="sign-up form; shows the practice's public name only"),
    site("verify", lambda w: "verify/not-a-token/", reason="token-addressed; a bad token names nothing"),
    site("community", lambda w: "community/"),
    site("forum", lambda w: "community/general-chat/"),
    site("thread_new", lambda w: "community/general-chat/new/", reason=MEMBER),
    site("thread", lambda w: f"threads/{w.objects['cm_thread'].pk}/"),
    site("react", lambda w: f"posts/{w.objects['cm_post'].pk}/react/", method="post", reason=MEMBER),
    site("report", lambda w: f"posts/{w.objects['cm_post'].pk}/report/", method="post", reason=MEMBER),
    site("questions", lambda w: "questions/"),
    site("question_ask", lambda w: "questions/ask/", reason=MEMBER),
    site("question", lambda w: f"questions/{w.objects['cm_question'].pk}/"),
    site("message_new", lambda w: "messages/new/", reason=MEMBER),
    site("challenges", lambda w: "challenges/"),
    site("challenge", lambda w: "challenges/may-steps/"),
    site("challenge_join", lambda w: "challenges/may-steps/join/", method="post", reason=MEMBER),
    site("challenge_log", lambda w: "challenges/may-steps/log/", method="post", reason=MEMBER),
    staff("manage", lambda w: ""),
    staff("moderation", lambda w: "moderation/", Perm.MODERATE),
    staff("post_hide", lambda w: f"posts/{_o('cm_post')(w)}/hide/", Perm.MODERATE, "post", "object"),
    staff("post_restore", lambda w: f"posts/{_o('cm_post')(w)}/restore/", Perm.MODERATE, "post", "object"),
    staff("post_approve", lambda w: f"posts/{_o('cm_post')(w)}/approve/", Perm.MODERATE, "post", "object"),
    staff("members", lambda w: "members/", Perm.MODERATE),
    staff("member_suspend", lambda w: f"members/{_o('cm_member')(w)}/suspend/", Perm.MODERATE, "post", "object"),
    staff("thread_pin", lambda w: f"threads/{_o('cm_thread')(w)}/pin/", Perm.MODERATE, "post", "object", data=lambda w: {"pinned": "1"}),
    staff("forums", lambda w: "forums/", Perm.MODERATE),
    staff("meeting_add", lambda w: f"forums/{_o('cm_private_forum')(w)}/meetings/", Perm.MODERATE, "post", "object",
          data=lambda w: {"starts_at": "2030-01-05T18:00", "mode": "online", "join_url": "https://meet.example.org/x"}),
    staff("profiles", lambda w: "site/profiles/", Perm.PUBLISH),
    staff("profile_edit", lambda w: f"site/profiles/{_o('cm_profile')(w)}/", Perm.PUBLISH, scope="object"),
    staff("blog", lambda w: "site/blog/", Perm.PUBLISH),
    staff("blog_unpublish", lambda w: f"site/blog/{_o('cm_blog')(w)}/unpublish/", Perm.PUBLISH, "post", "object"),
    staff("events", lambda w: "site/events/", Perm.PUBLISH),
    staff("boards", lambda w: "site/boards/", Perm.PUBLISH),
    staff("board_card_add", lambda w: f"site/boards/{_o('cm_board')(w)}/cards/", Perm.PUBLISH, "post", "object"),
    staff("questions", lambda w: "questions/", Perm.ANSWER_QUESTIONS),
    staff("question_answer", lambda w: f"questions/{_o('cm_question')(w)}/", Perm.ANSWER_QUESTIONS, scope="object"),
    staff("messages", lambda w: "messages/", Perm.COMPOSE),
    staff("message", lambda w: f"messages/{_o('cm_message')(w)}/", Perm.COMPOSE, scope="object"),
    staff("challenges", lambda w: "challenges/", Perm.MODERATE),
    staff("stories", lambda w: "stories/", Perm.PUBLISH),
    staff("story_action", lambda w: f"stories/{_o('cm_story')(w)}/", Perm.PUBLISH, "post", "object",
          data=lambda w: {"action": "unpublish"}),
    staff("peer_invite", lambda w: "peers/invite/", Perm.MANAGE_TEAM),
    UrlCase("peers:home", lambda w: "/peers/", perm=Perm.PEER_SPACE, scope="public", reason=PEERS, setup=_setup),
    UrlCase("peers:thread_new", lambda w: "/peers/new/", perm=Perm.PEER_SPACE, scope="public", reason=PEERS, setup=_setup),
    UrlCase("peers:thread", lambda w: f"/peers/threads/{w.objects['cm_peer_thread'].pk}/", perm=Perm.PEER_SPACE,
            scope="public", reason=PEERS, setup=_setup),
]  # fmt: skip
