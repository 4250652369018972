"""`bedside rotate_keys`: re-encrypt every channel credential with the newest key.

Rotation: put the new Fernet key first in BEDSIDE_ENCRYPTION_KEYS (keep the old
ones after it), run this command, then remove the old keys.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bedside.channels.crypto import CredentialsUnavailable
from bedside.channels.services import credentials_rotate_all


class Command(BaseCommand):
    help = "Re-encrypt every stored channel credential with the newest encryption key."

    def handle(self, *args, **options) -> None:
        try:
            count = credentials_rotate_all()
        except CredentialsUnavailable as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"Re-encrypted credentials of {count} channel(s) with the newest key.")
