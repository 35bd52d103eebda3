from django.core.management.base import BaseCommand
from django.utils import timezone

from core import mail
from core.models import OutboxMessage, OutboxState


class Command(BaseCommand):
    help = "Send every pending outbox mail that is due now (what the worker and the sweep do; for use without them)."

    def handle(self, *args, **options):
        due = OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=timezone.now())
        ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True))
        for pk in ids:
            mail.deliver(pk)
        left = OutboxMessage.objects.filter(pk__in=ids, state=OutboxState.PENDING).count()
        self.stdout.write(f"{len(ids) - left} of {len(ids)} pending mail(s) handled; {left} still pending.")
