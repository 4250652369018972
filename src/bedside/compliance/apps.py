from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "bedside.compliance"
    label = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from bedside.compliance.selectors import dashboard_tiles
        from bedside.core.selectors import DASHBOARD_TILES

        for tile in dashboard_tiles():
            if tile not in DASHBOARD_TILES:
                DASHBOARD_TILES.append(tile)
