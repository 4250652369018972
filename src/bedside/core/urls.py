from django.urls import path

from bedside.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("practice/switch/", views.practice_switch, name="practice_switch"),
    path("healthz", views.health, name="health"),
    path("media/site/<path:path>", views.public_media, name="public_media"),
]
