from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bedside.accounts.services import practice_create


class Command(BaseCommand):
    help = "Create a practice and its first owner (who then sets a password via 'forgot password')."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--time-zone", default="America/Chicago")
        parser.add_argument("--owner-email", required=True)

    def handle(self, *args, name, slug, time_zone, owner_email, **options):
        try:
            practice = practice_create(
                name=name, slug=slug, time_zone=time_zone, owner_email=owner_email
            )
        except ValidationError as exc:
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            raise CommandError(detail, returncode=2) from None
        self.stdout.write(f"created {practice.slug} (id {practice.pk}) with owner {owner_email}")
