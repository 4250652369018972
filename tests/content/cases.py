from bedside.accounts.permissions import Perm
from tests import world
from tests.url_cases import UrlCase


def _p(w, suffix="", state=None, key="post"):
    return f"/content/posts/{world.post(w, key=key, state=state).pk}/{suffix}"


CASES = [
    UrlCase("content:compose", lambda w: "/content/compose/", perm=Perm.COMPOSE),
    UrlCase(
        "content:preview",
        lambda w: "/content/compose/preview/",
        method="post",
        perm=Perm.COMPOSE,
        data=lambda w: {"text": world.CLEAN, "channels": [world.channel(w).pk]},
    ),
    UrlCase("content:list", lambda w: "/content/posts/", setup=world.post),
    UrlCase("content:post_detail", lambda w: _p(w), scope="object"),
    UrlCase("content:post_edit", lambda w: _p(w, "edit/"), perm=Perm.COMPOSE, scope="object"),
    UrlCase(
        "content:post_submit",
        lambda w: _p(w, "submit/"),
        method="post",
        perm=Perm.SUBMIT,
        scope="object",
    ),
    UrlCase(
        "content:post_approve",
        lambda w: _p(w, "approve/", "in_review", "review"),
        method="post",
        perm=Perm.APPROVE,
        scope="object",
    ),
    UrlCase(
        "content:post_reject",
        lambda w: _p(w, "reject/", "in_review", "review"),
        method="post",
        perm=Perm.APPROVE,
        scope="object",
    ),
    UrlCase(
        "content:post_cancel",
        lambda w: _p(w, "cancel/"),
        method="post",
        perm=Perm.PUBLISH,
        scope="object",
    ),
    UrlCase(
        "content:post_override",
        lambda w: _p(w, "override/"),
        method="post",
        perm=Perm.OVERRIDE_COMPLIANCE,
        scope="object",
        data=lambda w: {"reason": "Reviewed: the name is our own staff member."},
    ),
    UrlCase(
        "content:post_move",
        lambda w: _p(w, "move/"),
        method="post",
        perm=Perm.PUBLISH,
        scope="object",
        data=lambda w: {"when": "2099-03-04T09:30"},
    ),
    UrlCase("content:approvals", lambda w: "/content/approvals/", setup=world.post),
    UrlCase("content:calendar", lambda w: "/content/calendar/", setup=world.post),
    UrlCase("content:library", lambda w: "/content/library/"),
    UrlCase("content:sources", lambda w: "/content/sources/", perm=Perm.MANAGE_SETTINGS),
    UrlCase(
        "api:post_create",
        lambda w: "/api/v1/posts",
        method="post",
        api=True,
        perm=Perm.COMPOSE,
        data=lambda w: {
            "text": world.CLEAN,
            "channels": [world.channel(w).pk],
            "scheduled_at": "2099-01-05T09:00:00-06:00",
        },
    ),
    UrlCase("api:post_list", lambda w: "/api/v1/posts", api=True, setup=world.post),
    UrlCase(
        "api:post_get", lambda w: f"/api/v1/posts/{world.post(w).pk}", api=True, scope="object"
    ),
    UrlCase(
        "api:post_submit",
        lambda w: f"/api/v1/posts/{world.post(w).pk}/submit",
        method="post",
        api=True,
        perm=Perm.SUBMIT,
        scope="object",
    ),
    UrlCase(
        "api:post_approve",
        lambda w: f"/api/v1/posts/{world.post(w, key='review', state='in_review').pk}/approve",
        method="post",
        api=True,
        perm=Perm.APPROVE,
        scope="object",
    ),
]

CASES += [
    UrlCase(
        "content:template_new",
        lambda w: "/content/library/templates/new/",
        method="post",
        perm=Perm.COMPOSE,
        data=lambda w: {"name": "Flu", "text": "Flu shots are in."},
    ),
    UrlCase("content:pillars", lambda w: "/content/pillars/", perm=Perm.MANAGE_SETTINGS),
]


def _e(w, action):
    edit = world.published_edit(w)
    return f"/content/posts/{edit.post_id}/edits/{edit.pk}/{action}/"


CASES += [
    UrlCase(
        "content:post_edit_published",
        lambda w: f"/content/posts/{world.published_edit(w).post_id}/edit-published/",
        perm=Perm.SUBMIT,
        scope="object",
    ),
    UrlCase(
        "content:post_edit_approve",
        lambda w: _e(w, "approve"),
        method="post",
        perm=Perm.APPROVE,
        scope="object",
    ),
    UrlCase(
        "content:post_edit_reject",
        lambda w: _e(w, "reject"),
        method="post",
        perm=Perm.APPROVE,
        scope="object",
    ),
]


def _api_e(w, action):
    edit = world.published_edit(w)
    return f"/api/v1/posts/{edit.post_id}/edits/{edit.pk}/{action}"


CASES += [
    UrlCase(
        "api:post_edit_approve",
        lambda w: _api_e(w, "approve"),
        method="post",
        api=True,
        perm=Perm.APPROVE,
        scope="object",
    ),
    UrlCase(
        "api:post_edit_reject",
        lambda w: _api_e(w, "reject"),
        method="post",
        api=True,
        perm=Perm.APPROVE,
        scope="object",
    ),
]

CASES.append(
    UrlCase(
        "api:post_patch",
        lambda w: f"/api/v1/posts/{world.post(w).pk}",
        method="patch",
        api=True,
        perm=Perm.COMPOSE,
        scope="object",
        data=lambda w: {"text": world.CLEAN + " See you soon."},
    )
)
