from django.core.management.base import BaseCommand, CommandError

from bedside.accounts.models import Membership
from bedside.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a member of a practice; prints only the token."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--practice", required=True, help="The practice's slug.")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, email, practice, name, **options):
        membership = (
            Membership.objects.select_related("user", "practice")
            .filter(user__email__iexact=email.strip(), practice__slug=practice.strip())
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{email} is not a member of a practice with slug {practice!r}", returncode=2
            )
        _, raw = api_token_create(membership=membership, name=name)
        self.stdout.write(raw)
