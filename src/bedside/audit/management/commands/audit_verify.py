from django.core.management.base import BaseCommand, CommandError

from bedside.audit.services import audit_verify


class Command(BaseCommand):
    help = "Walk the audit log's hash chains; exit non-zero naming the first broken entry."

    def handle(self, *args, **options):
        breaks = audit_verify()
        if breaks:
            for b in breaks:
                self.stderr.write(
                    f"chain {b.chain}: entry seq={b.seq} id={b.event_id} is broken: {b.reason}"
                )
            raise CommandError(f"audit log verification failed in {len(breaks)} chain(s)")
        self.stdout.write("audit log intact")
