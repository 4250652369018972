"""Alerts (placeholder, filled below)."""


def alerts_sweep() -> int:
    return 0


def digests_send_due() -> int:
    return 0
