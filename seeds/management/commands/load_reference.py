from django.core.management.base import BaseCommand

from seeds.reference import load_reference


class Command(BaseCommand):
    help = "Load reference data (role groups, bureaus, Tokyo's 62 municipalities, taxonomy). Safe to run repeatedly."

    def handle(self, *args, **options):
        summary = load_reference()
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
