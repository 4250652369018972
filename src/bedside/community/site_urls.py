from django.urls import path

from bedside.community.views import challenges, members, site

app_name = "site"
urlpatterns = [
    path("<slug:slug>/", site.home, name="home"),
    path("<slug:slug>/team/", site.team, name="team"),
    path("<slug:slug>/team/<slug:profile_slug>/", site.profile, name="profile"),
    path("<slug:slug>/blog/", site.blog, name="blog"),
    path("<slug:slug>/blog/<slug:entry_slug>/", site.blog_entry, name="blog_entry"),
    path("<slug:slug>/events/", site.events, name="events"),
    path("<slug:slug>/feed.xml", site.rss_feed, name="feed_rss"),
    path("<slug:slug>/atom.xml", site.atom_feed, name="feed_atom"),
    path("<slug:slug>/guidelines/", site.guidelines, name="guidelines"),
    path("<slug:slug>/boards/", site.boards, name="boards"),
    path("<slug:slug>/boards/<slug:board_slug>/", site.board, name="board"),
    path("<slug:slug>/stories/", site.stories, name="stories"),
    path("<slug:slug>/stories/share/", members.story_submit, name="story_submit"),
    path("<slug:slug>/stories/<int:story_id>/", site.story, name="story"),
    path("<slug:slug>/join/", members.join, name="join"),
    path("<slug:slug>/verify/<str:token>/", members.verify, name="verify"),
    path("<slug:slug>/community/", members.community, name="community"),
    path("<slug:slug>/community/<slug:forum_slug>/", members.forum, name="forum"),
    path("<slug:slug>/community/<slug:forum_slug>/new/", members.thread_new, name="thread_new"),
    path("<slug:slug>/threads/<int:thread_id>/", members.thread, name="thread"),
    path("<slug:slug>/posts/<int:post_id>/react/", members.react, name="react"),
    path("<slug:slug>/posts/<int:post_id>/report/", members.report, name="report"),
    path("<slug:slug>/questions/", members.questions, name="questions"),
    path("<slug:slug>/questions/ask/", members.question_ask, name="question_ask"),
    path("<slug:slug>/questions/<int:question_id>/", members.question, name="question"),
    path("<slug:slug>/messages/new/", members.message_new, name="message_new"),
    path("<slug:slug>/challenges/", challenges.challenges, name="challenges"),
    path("<slug:slug>/challenges/<slug:challenge_slug>/", challenges.challenge, name="challenge"),
    path(
        "<slug:slug>/challenges/<slug:challenge_slug>/join/",
        challenges.challenge_join,
        name="challenge_join",
    ),
    path(
        "<slug:slug>/challenges/<slug:challenge_slug>/log/",
        challenges.challenge_log,
        name="challenge_log",
    ),
]
