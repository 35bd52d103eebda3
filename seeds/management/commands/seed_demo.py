import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from seeds.demo import load_demo
from seeds.demo.accounts import DEMO_ACCOUNTS
from seeds.reference import load_reference


class Command(BaseCommand):
    help = "Create demo data and one demo account per role. Refuses to run when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=2025, help="Random seed (the same seed gives the same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the database first (every table, the demo's and anything added since), then load afresh.",
        )
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Multiply the generated volume (benchmarks)."
        )

    def handle(self, *args, seed: int, scale: float, reset: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a known password; it runs only with DEBUG on."
            )
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            self.stdout.write("Database emptied.")
        password = os.environ.get("DEMO_PASSWORD", "demo-pass-2025")
        load_reference()
        summary = load_demo(password=password, seed=seed, scale=scale)
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password}):"))
        for email, _name, _org, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<24} {', '.join(roles)}")
