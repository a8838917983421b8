"""Imports of certificates a vendor issued in its previous system: the uploaded file, kept between
the dry run and the real run, what the dry run found, and the real run's progress. Written only
through `certifications.certificates.legacy_import`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateImport(models.Model):
    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        READY = "ready", _("Ready to import")
        RUNNING = "running", _("Importing")
        FINISHED = "finished", _("Finished")

    vendor = models.ForeignKey(
        "community.Vendor", on_delete=models.CASCADE, related_name="certificate_imports", verbose_name=_("vendor")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"))
    file = models.FileField(_("file"), upload_to="certificate-imports/%Y/")
    file_name = models.CharField(_("file name"), max_length=255)
    invite_new = models.BooleanField(_("invite new accounts"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    total = models.PositiveIntegerField(_("rows"), default=0)
    already_imported = models.PositiveIntegerField(_("already imported"), default=0)
    # Up to `legacy_import.ERRORS_KEPT` [line, message] pairs, from the dry run or the real run.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    created = models.PositiveIntegerField(_("certificates created"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    progressed_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate import")
        verbose_name_plural = _("certificate imports")

    def __str__(self):
        return f"{self.vendor_id} {self.file_name}"
