from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "bedside.audit"
    label = "audit"
    verbose_name = "Audit log"
