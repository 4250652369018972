"""Every write the community app performs. Grouped by area; import from here."""

from bedside.community.services.challenges import (
    challenge_create,
    challenge_join,
    challenge_log,
)
from bedside.community.services.errors import (
    DisclosureWarning,
    GuardBlocked,
    PostingRateLimited,
)
from bedside.community.services.forums import (
    forum_create,
    meeting_add,
    post_approve,
    post_hide,
    post_reply,
    post_report,
    post_restore,
    reaction_toggle,
    thread_pin,
    thread_start,
)
from bedside.community.services.members import (
    member_register,
    member_reinstate,
    member_suspend,
    member_verify_email,
)
from bedside.community.services.peers import peer_invite, peer_reply, peer_thread_start
from bedside.community.services.qa import (
    answer_publish,
    message_assign,
    message_send,
    message_set_state,
    question_ask,
)
from bedside.community.services.site import (
    blog_entry_edit,
    blog_entry_publish,
    blog_entry_unpublish,
    board_card_create,
    board_create,
    clinician_profile_create,
    clinician_profile_update,
    event_create,
)
from bedside.community.services.stories import story_publish, story_submit, story_unpublish

__all__ = [
    "DisclosureWarning",
    "GuardBlocked",
    "PostingRateLimited",
    "answer_publish",
    "blog_entry_edit",
    "blog_entry_publish",
    "blog_entry_unpublish",
    "board_card_create",
    "board_create",
    "challenge_create",
    "challenge_join",
    "challenge_log",
    "clinician_profile_create",
    "clinician_profile_update",
    "event_create",
    "forum_create",
    "meeting_add",
    "member_register",
    "member_reinstate",
    "member_suspend",
    "member_verify_email",
    "message_assign",
    "message_send",
    "message_set_state",
    "peer_invite",
    "peer_reply",
    "peer_thread_start",
    "post_approve",
    "post_hide",
    "post_reply",
    "post_report",
    "post_restore",
    "question_ask",
    "reaction_toggle",
    "story_publish",
    "story_submit",
    "story_unpublish",
    "thread_pin",
    "thread_start",
]
