"""Re-render a vendor's certificate PDFs after a template change, as Celery tasks (in-process
when no broker is configured). Serials, dates and printed names never change."""

from django.core.management.base import BaseCommand, CommandError

from certifications.certificates.regeneration import RegenerationRunning, certificate_pdfs_regenerate
from certifications.models import CertificatePdfBatch
from community.errors import error_text
from community.models import Vendor


class Command(BaseCommand):
    help = "Regenerate the PDFs of a vendor's certificates (all but revoked ones) with its current template."

    def add_arguments(self, parser):
        parser.add_argument("--vendor", required=True, help="The vendor's slug.")

    def handle(self, *args, vendor, **options):
        found = Vendor.objects.filter(slug=vendor).first()
        if found is None:
            raise CommandError(f"No vendor with the slug {vendor!r}.")
        try:
            batch = certificate_pdfs_regenerate(vendor=found)
        except RegenerationRunning as error:
            raise CommandError(error_text(error)) from error
        batch = CertificatePdfBatch.objects.get(pk=batch.pk)
        self.stdout.write(
            f"Batch {batch.pk}: {batch.total} certificates of {found.name}; "
            f"{batch.done} done, {batch.failed} failed so far"
            + (" (finished)." if batch.finished_at else " (the workers carry on; progress is in the admin).")
        )
        if batch.failed:
            self.stderr.write(self.style.WARNING(f"{batch.failed} PDFs could not be regenerated; see the log."))
