"""Tenant-scoped reads shared by the shell. Apps add their own dashboard tiles."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DashboardSummary:
    practice_name: str
    role: str
    member_count: int
    tiles: list[dict] = field(default_factory=list)


DASHBOARD_TILES: list = []  # callables (membership) -> dict | None, registered by apps


def dashboard_summary(*, membership) -> DashboardSummary:
    practice = membership.practice
    summary = DashboardSummary(
        practice_name=practice.name,
        role=membership.role,
        member_count=practice.memberships.count(),
    )
    for tile in DASHBOARD_TILES:
        value = tile(membership)
        if value:
            summary.tiles.append(value)
    return summary
