from django.urls import path

from bedside.compliance import views

app_name = "compliance"
urlpatterns = [
    path("check/", views.check, name="check"),
    path("check/findings/", views.check_partial, name="check_partial"),
    path("checks/<int:check_id>/override/", views.check_override, name="check_override"),
    path("policy/", views.policy, name="policy"),
    path("policy/staff/", views.staff_add, name="staff_add"),
    path("policy/staff/<int:staff_id>/toggle/", views.staff_toggle, name="staff_toggle"),
    path("consents/", views.consents, name="consents"),
    path("consents/new/", views.consent_new, name="consent_new"),
    path("consents/<int:consent_id>/", views.consent_detail, name="consent_detail"),
    path("consents/<int:consent_id>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<int:consent_id>/document/", views.consent_document, name="consent_document"),
]
