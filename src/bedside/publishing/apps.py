from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "bedside.publishing"
    label = "publishing"
    verbose_name = "Publishing"

    def ready(self) -> None:
        from bedside.compliance.services import CONSENT_USAGE_PROVIDERS
        from bedside.core.selectors import DASHBOARD_TILES
        from bedside.publishing.consents import PostsUsingConsent
        from bedside.publishing.selectors import tile_attention, tile_upcoming

        if not any(isinstance(p, PostsUsingConsent) for p in CONSENT_USAGE_PROVIDERS):
            CONSENT_USAGE_PROVIDERS.append(PostsUsingConsent())
        for tile in (tile_upcoming, tile_attention):
            if tile not in DASHBOARD_TILES:
                DASHBOARD_TILES.append(tile)
