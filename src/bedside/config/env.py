"""Reading configuration from the environment, with the embedded defaults.

Kept apart from settings.py so that the CLI and tests can share the parsing.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(os.environ.get("BEDSIDE_DATA_DIR", "./var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def private_networks(name: str = "BEDSIDE_ALLOWED_PRIVATE_NETWORKS") -> list[str]:
    """Validated CIDRs; a typo must fail at start-up, not open a hole later."""
    networks = env_list(name)
    for cidr in networks:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError as exc:
            raise ValueError(f"{name}: {cidr!r} is not a CIDR network") from exc
    return networks
