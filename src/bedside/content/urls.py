from django.urls import path

from bedside.content import views

app_name = "content"
urlpatterns = [
    path("compose/", views.compose, name="compose"),
    path("compose/preview/", views.preview, name="preview"),
    path("posts/", views.post_list, name="list"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("posts/<int:pk>/edit/", views.compose, name="post_edit"),
    path("posts/<int:pk>/edit-published/", views.post_edit_published, name="post_edit_published"),
    path(
        "posts/<int:pk>/edits/<int:edit_pk>/approve/",
        views.post_edit_approve,
        name="post_edit_approve",
    ),
    path(
        "posts/<int:pk>/edits/<int:edit_pk>/reject/",
        views.post_edit_reject,
        name="post_edit_reject",
    ),
    path("posts/<int:pk>/submit/", views.post_submit, name="post_submit"),
    path("posts/<int:pk>/approve/", views.post_approve, name="post_approve"),
    path("posts/<int:pk>/reject/", views.post_reject, name="post_reject"),
    path("posts/<int:pk>/cancel/", views.post_cancel, name="post_cancel"),
    path("posts/<int:pk>/override/", views.post_override, name="post_override"),
    path("posts/<int:pk>/move/", views.post_move, name="post_move"),
    path("approvals/", views.approvals, name="approvals"),
    path("calendar/", views.calendar, name="calendar"),
    path("library/", views.library, name="library"),
    path("sources/", views.sources, name="sources"),
    path("library/templates/new/", views.template_new, name="template_new"),
    path("pillars/", views.pillars, name="pillars"),
]
