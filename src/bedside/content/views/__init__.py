"""Content pages, one module a page family; the URLconf names them from here."""

from bedside.content.views.calendar_view import calendar
from bedside.content.views.compose import compose, preview
from bedside.content.views.library import library, pillars, sources, template_new
from bedside.content.views.posts import (
    approvals,
    post_approve,
    post_cancel,
    post_detail,
    post_edit_approve,
    post_edit_published,
    post_edit_reject,
    post_list,
    post_move,
    post_override,
    post_reject,
    post_submit,
)

__all__ = [
    "approvals",
    "calendar",
    "compose",
    "library",
    "pillars",
    "post_approve",
    "post_cancel",
    "post_detail",
    "post_edit_approve",
    "post_edit_published",
    "post_edit_reject",
    "post_list",
    "post_move",
    "post_override",
    "post_reject",
    "post_submit",
    "preview",
    "sources",
    "template_new",
]
