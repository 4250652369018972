from django.urls import path

from bedside.community.views import manage as v

app_name = "community"
urlpatterns = [
    path("", v.manage, name="manage"),
    path("moderation/", v.moderation, name="moderation"),
    path("posts/<int:post_id>/hide/", v.post_hide, name="post_hide"),
    path("posts/<int:post_id>/restore/", v.post_restore, name="post_restore"),
    path("posts/<int:post_id>/approve/", v.post_approve, name="post_approve"),
    path("members/", v.members, name="members"),
    path("members/<int:member_id>/suspend/", v.member_suspend, name="member_suspend"),
    path("threads/<int:thread_id>/pin/", v.thread_pin, name="thread_pin"),
    path("forums/", v.forums, name="forums"),
    path("forums/<int:forum_id>/meetings/", v.meeting_add, name="meeting_add"),
    path("site/profiles/", v.profiles, name="profiles"),
    path("site/profiles/<int:profile_id>/", v.profile_edit, name="profile_edit"),
    path("site/blog/", v.blog, name="blog"),
    path("site/blog/<int:entry_id>/unpublish/", v.blog_unpublish, name="blog_unpublish"),
    path("site/events/", v.events, name="events"),
    path("site/boards/", v.boards, name="boards"),
    path("site/boards/<int:board_id>/cards/", v.board_card_add, name="board_card_add"),
    path("questions/", v.questions, name="questions"),
    path("questions/<int:question_id>/", v.question_answer, name="question_answer"),
    path("messages/", v.inbox, name="messages"),
    path("messages/<int:message_id>/", v.message_detail, name="message"),
    path("challenges/", v.challenges, name="challenges"),
    path("stories/", v.stories, name="stories"),
    path("stories/<int:story_id>/", v.story_action, name="story_action"),
    path("peers/invite/", v.peer_invite, name="peer_invite"),
]
