from django.urls import include, path

from bedside.config.api import api

urlpatterns = [
    path("", include("bedside.core.urls")),
    path("", include("bedside.accounts.urls")),
    path("audit/", include("bedside.audit.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
]
