"""Open the academy of a vendor that has none yet (or repair an existing one's permissions and
review workflow): `python manage.py academy_create <vendor-slug>`."""

from django.core.management.base import BaseCommand, CommandError

from community.models import Vendor
from courses import services


class Command(BaseCommand):
    help = "Create (or repair) a vendor's academy page with its group permissions and review workflow."

    def add_arguments(self, parser):
        parser.add_argument("vendor_slug")

    def handle(self, *args, vendor_slug, **options):
        vendor = Vendor.objects.filter(slug=vendor_slug).first()
        if vendor is None:
            raise CommandError(f"No vendor with slug {vendor_slug!r}.")
        academy = services.academy_create(vendor=vendor)
        self.stdout.write(self.style.SUCCESS(f"{academy.title}: {academy.url_path}"))
