from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "bedside.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from bedside.community import consents

        consents.register()  # revoking a consent unpublishes the stories that used it
