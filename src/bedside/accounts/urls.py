from django.urls import path

from bedside.accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.settings_home, name="settings"),
    path("settings/practice/", views.practice_settings, name="practice_settings"),
    path("settings/team/", views.team, name="team"),
    path("settings/team/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("settings/team/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("settings/security/", views.security, name="security"),
    path("settings/security/tokens/", views.token_create, name="token_create"),
    path(
        "settings/security/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"
    ),
    path(
        "settings/security/sign-out-everywhere/",
        views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("settings/security/two-factor-required/", views.mfa_required, name="mfa_required"),
]
