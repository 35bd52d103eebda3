"""Rebuild the know-how similarity index from the past requests (after editing knowhow/data/terms.json)."""

from django.core.management.base import BaseCommand

from knowhow.index import reindex_all


class Command(BaseCommand):
    help = "Rebuild the know-how similarity index from the resolved and closed requests."

    def handle(self, *args, **options):
        count = reindex_all()
        self.stdout.write(f"Indexed {count} past requests.")
