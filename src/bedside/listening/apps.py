from django.apps import AppConfig


class ListeningConfig(AppConfig):
    name = "bedside.listening"
    label = "listening"
    verbose_name = "Listening"

    def ready(self) -> None:
        from bedside.core.selectors import DASHBOARD_TILES

        DASHBOARD_TILES.append(_new_mentions_tile)


def _new_mentions_tile(membership):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from bedside.listening.models import Mention

    n = Mention.objects.filter(practice_id=membership.practice_id, state=Mention.State.NEW).count()
    return {"label": "New mentions", "value": n, "url": reverse("listening:stream") + "?state=new"}
