"""Bulk downloads of certificate PDFs: a ZIP built in the background for one certification, one
partner or a range of issue dates, kept in the media storage until it expires."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateArchive(models.Model):
    vendor = models.ForeignKey("community.Vendor", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    certification = models.ForeignKey(
        "certifications.CertificationPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "community.PartnerOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    issued_from = models.DateField(_("issued from"), null=True, blank=True)
    issued_to = models.DateField(_("issued until"), null=True, blank=True)
    created_at = models.DateTimeField()
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)
    file = models.FileField(upload_to="certificate-archives/", blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("certificate archive")
        verbose_name_plural = _("certificate archives")

    def __str__(self):
        return f"{self.vendor_id} {self.done}/{self.total}"
