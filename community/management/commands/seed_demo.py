"""Load the demo: every installed app that has a `demo` module with a `seed()` function adds its
part, in INSTALLED_APPS order (community first, so later apps find vendors and people).
Idempotent: running it twice leaves the same data."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from community.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load (or refresh) the Partner Academy demo data and print the demo logins."

    def handle(self, *args, **options):
        logins: list[tuple[str, str]] = []
        notes: list[str] = []
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                result = module.seed(stdout=self.stdout) or {}
            logins += result.get("logins", [])
            notes += result.get("notes", [])
            self.stdout.write(f"  {config.verbose_name}: demo data ready")
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        width = max((len(role) for role, _email in logins), default=0)
        for role, email in logins:
            self.stdout.write(f"  {role.ljust(width)}  {email}")
        for note in notes:
            self.stdout.write(note)
