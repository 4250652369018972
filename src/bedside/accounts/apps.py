from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bedside.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from bedside.accounts import receivers  # noqa: F401  (login/MFA audit hooks)
