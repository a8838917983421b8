"""A holder's request to correct the name printed on a certificate, decided by the vendor's
programme managers. On approval the certificate prints the new name and the PDF printed before
is kept here, superseded, for staff."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NameCorrection(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    certificate = models.ForeignKey(
        "certifications.Certificate", on_delete=models.CASCADE, related_name="name_corrections"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()
    old_name = models.CharField(_("printed name"), max_length=150)
    new_name = models.CharField(_("corrected name"), max_length=150)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note to the holder"), blank=True)
    superseded_pdf = models.FileField(_("superseded PDF"), upload_to="certificates/superseded/%Y/", blank=True)
    superseded_pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("name correction")
        verbose_name_plural = _("name corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(status="pending"), name="name_correction_one_pending"
            )
        ]

    def __str__(self):
        return f"{self.certificate_id} {self.status}"
