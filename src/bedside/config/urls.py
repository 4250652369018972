from django.urls import include, path

from bedside.config.api import api

urlpatterns = [
    path("", include("bedside.core.urls")),
    path("", include("bedside.accounts.urls")),
    path("audit/", include("bedside.audit.urls")),
    path("compliance/", include("bedside.compliance.urls")),
    path("settings/channels/", include("bedside.channels.urls")),
    path("content/", include("bedside.content.urls")),
    path("publishing/", include("bedside.publishing.urls")),
    path("listening/", include("bedside.listening.urls")),
    path("community/", include("bedside.community.urls")),
    path("p/", include("bedside.community.site_urls")),
    path("peers/", include("bedside.community.peer_urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
]
