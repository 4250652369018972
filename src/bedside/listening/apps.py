from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "bedside.listening"
    label = "listening"
    verbose_name = "Listening"

    def ready(self) -> None:
        from bedside.core.hooks import PRACTICE_CREATED
        from bedside.core.selectors import DASHBOARD_TILES

        DASHBOARD_TILES.append(_new_mentions_tile)
        PRACTICE_CREATED.append(_default_monitors)


def _new_mentions_tile(membership):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from bedside.listening.models import Mention

    n = Mention.objects.filter(practice_id=membership.practice_id, state=Mention.State.NEW).count()
    return {"label": "New mentions", "value": n, "url": reverse("listening:stream") + "?state=new"}


def _default_monitors(*, practice, actor):  # type: ignore[no-untyped-def]
    from bedside.listening.services import monitor_defaults_create

    monitor_defaults_create(practice=practice)
