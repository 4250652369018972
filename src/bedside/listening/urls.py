from django.urls import path

from bedside.listening import views

app_name = "listening"
urlpatterns = [
    path("", views.stream, name="stream"),
    path("mentions/<int:mention_id>/state/", views.mention_state, name="mention_state"),
    path("monitors/", views.monitors, name="monitors"),
    path("monitors/new/", views.monitor_new, name="monitor_new"),
    path("monitors/defaults/", views.monitor_defaults, name="monitor_defaults"),
    path("monitors/<int:monitor_id>/", views.monitor_edit, name="monitor_edit"),
    path("monitors/<int:monitor_id>/delete/", views.monitor_delete, name="monitor_delete"),
    path("sources/", views.sources, name="sources"),
    path("sources/new/", views.source_new, name="source_new"),
    path("sources/<int:source_id>/", views.source_detail, name="source_detail"),
    path("sources/<int:source_id>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:source_id>/retry/", views.source_retry, name="source_retry"),
    path("sources/<int:source_id>/delete/", views.source_delete, name="source_delete"),
    path("alerts/", views.alert_settings, name="alerts"),
]
