from django.urls import path

from bedside.community.views import peers

app_name = "peers"
urlpatterns = [
    path("", peers.home, name="home"),
    path("new/", peers.thread_new, name="thread_new"),
    path("threads/<int:thread_id>/", peers.thread, name="thread"),
]
