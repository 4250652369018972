from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "bedside.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from bedside.community import consents
        from bedside.core.selectors import DASHBOARD_TILES

        consents.register()  # revoking a consent unpublishes the stories that used it
        if community_tile not in DASHBOARD_TILES:
            DASHBOARD_TILES.append(community_tile)


def community_tile(membership) -> dict | None:  # type: ignore[no-untyped-def]
    """Dashboard: what waits for moderators (held posts and open reports)."""
    from django.urls import reverse

    from bedside.accounts.permissions import Perm
    from bedside.community.selectors import manage_counts

    if not membership.can(Perm.MODERATE):
        return None
    counts = manage_counts(practice=membership.practice)
    return {
        "label": "Community posts waiting for moderation",
        "value": counts["held"] + counts["reports"],
        "url": reverse("community:moderation"),
    }
