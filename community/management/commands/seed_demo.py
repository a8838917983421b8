"""Load the demo: every installed app that has a `demo` module (or `seed.demo`) with a `seed()` function adds its
part, in INSTALLED_APPS order (community first, so later apps find vendors and people).
Idempotent: running it twice leaves the same data.

The demo sends real e-mail (certificates with their PDF attached, reminders, notices). With the
console backend of `make run` those would flood the terminal, so they are written to
`var/demo-mail/` instead, one file per e-mail."""

from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from community.app_modules import app_modules
from community.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load (or refresh) the Partner Academy demo data and print the demo logins."

    def handle(self, *args, **options):
        with self._mail_to_files():
            self._seed()

    def _mail_to_files(self):
        if settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend":
            return nullcontext()
        folder = settings.VAR_DIR / "demo-mail"
        self.stdout.write(f"  Demo e-mails go to {folder}/")
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend", EMAIL_FILE_PATH=str(folder)
        )

    def _seed(self):
        logins: list[tuple[str, str]] = []
        notes: list[str] = []
        for config, module in app_modules("demo"):
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
        self.stdout.write(
            f"\nLinks, QR codes and credential ids point to {settings.SITE_URL} "
            "(SITE_URL; PDFs rendered before keep the address they were rendered for)."
        )
