from django.core.management.base import BaseCommand

from support import lifecycle, services


class Command(BaseCommand):
    help = (
        "Close requests resolved more than 14 days ago without a satisfaction rating. Safe to run repeatedly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=lifecycle.AUTO_CLOSE_DAYS)

    def handle(self, *args, days: int, **options):
        closed = services.request_close_stale(days=days)
        for reference in closed:
            self.stdout.write(reference)
        self.stdout.write(f"closed: {len(closed)}")
