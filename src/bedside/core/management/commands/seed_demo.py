"""`bedside seed_demo`: the demo practices, idempotently.

Each app may ship a `demo` module with `seed(stdout)`; they run in
INSTALLED_APPS order, so an app's demo data can rely on the practices.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create or refresh the demo practices and their users (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Seed even with BEDSIDE_DEBUG off."
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the demo logins.")

    def handle(self, *args, force, quiet, **options):
        if not (settings.DEBUG or settings.TESTING or force):
            raise CommandError(
                "seed_demo creates users with a published password; use --force to seed outside debug.",
                returncode=2,
            )
        with transaction.atomic():
            for config in apps.get_app_configs():
                if not config.name.startswith("bedside."):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{config.name}.demo":
                        continue
                    raise
                module.seed()
        if not quiet:
            from bedside.accounts.demo import logins_text

            self.stdout.write(logins_text())
