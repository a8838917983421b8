"""Certificates: what a pass earns a person. The printed facts are frozen at issue, the PDF is
rendered once and stored with its SHA-256, and every change of state leaves an audit event.
Written only through the certificate services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CertificateTemplate(models.Model):
    """A vendor's own certificate layout (Django template text rendered by `certifications.certificates.pdf`);
    empty `html` means the platform's default layout. Editing it never alters PDFs already issued:
    they are regenerated only on request."""

    vendor = models.OneToOneField(
        "community.Vendor", on_delete=models.CASCADE, related_name="certificate_template", verbose_name=_("vendor")
    )
    html = models.TextField(_("template"), blank=True)
    signatory_name = models.CharField(_("signatory name"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory title"), max_length=150, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self):
        return str(self.vendor)


def certificate_valid_q(day, prefix: str = "") -> Q:
    """The condition "valid on `day`": not expired or revoked, and `day` before the expiry date
    (a certificate expiring on a day is no longer valid that day). `prefix` names a relation
    (`"certificates__"`) for filters and aggregates across it."""
    return Q(**{f"{prefix}status": Certificate.Status.VALID, f"{prefix}expires_on__gt": day})


def certificate_superseded_q(day, prefix: str = "") -> Q:
    """The condition "its certification was superseded before `day`": a published new version
    names it, and `day` is after the last day the old version counts towards delivery rights."""
    return Q(
        **{
            f"{prefix}certification__superseded_by__live": True,
            f"{prefix}certification__superseded_by__supersedes_counts_until__lt": day,
        }
    )


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Certificates valid on `day` (see `certificate_valid_q`)."""
        return self.filter(certificate_valid_q(day))

    def counting_on(self, day):
        """Certificates that count towards delivery rights on `day`: valid, and of a certification
        not superseded before then (an old version stays valid as a record, but stops counting
        after the day its new version names)."""
        return self.valid_on(day).exclude(certificate_superseded_q(day))


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    class RevocationReason(models.TextChoices):
        EXAM_MISCONDUCT = "exam_misconduct", _("Exam misconduct")
        ISSUED_IN_ERROR = "issued_in_error", _("Issued in error")
        HOLDER_REQUEST = "holder_request", _("At the holder's request")
        PROGRAMME_RULES = "programme_rules", _("Breach of programme rules")
        OTHER = "other", _("Other")

    serial = models.CharField(_("serial"), max_length=20, unique=True, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    certification = models.ForeignKey(
        "certifications.CertificationPage", on_delete=models.PROTECT, related_name="certificates"
    )
    vendor = models.ForeignKey("community.Vendor", on_delete=models.PROTECT, related_name="certificates")
    products = models.ManyToManyField("community.Product", related_name="certificates", verbose_name=_("products"))
    attempt = models.OneToOneField(
        "certifications.ExamAttempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
        help_text=_("The passed attempt it was issued for."),
    )
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by", verbose_name=_("renews")
    )
    # Printed facts, frozen at issue: a later change of name or title never alters them.
    holder_name = models.CharField(_("name as printed"), max_length=150)
    certification_title = models.CharField(_("certification as printed"), max_length=255)
    vendor_name = models.CharField(_("vendor as printed"), max_length=120)
    product_names = models.JSONField(_("products as printed"), default=list)
    language = models.CharField(_("language"), max_length=10, default="en")
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    issued_at = models.DateTimeField(_("issued"))

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    expired_at = models.DateTimeField(_("marked expired"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("revocation reason"), max_length=20, choices=RevocationReason.choices, blank=True
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, db_index=True)
    pdf_rendered_at = models.DateTimeField(_("PDF rendered"), null=True, blank=True)
    pdf_emailed_at = models.DateTimeField(_("PDF e-mailed"), null=True, blank=True)

    # Set on a certificate the vendor issued in its previous system and imported here: its id
    # there, unique per vendor so an import never records it twice, and when it was imported.
    # Its `issued_on` and `expires_on` are the original dates.
    legacy_id = models.CharField(_("previous system's id"), max_length=100, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    legacy_import = models.ForeignKey(
        "certifications.CertificateImport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
        verbose_name=_("import"),
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=models.F("issued_on")), name="certificate_expires_after"),
            models.CheckConstraint(
                condition=~Q(status="revoked") | Q(revoked_at__isnull=False), name="certificate_revoked_has_date"
            ),
            models.UniqueConstraint(
                fields=["vendor", "legacy_id"], condition=~Q(legacy_id=""), name="certificate_legacy_id_once"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="certificate_status_expiry"),
            models.Index(fields=["holder", "certification"], name="certificate_holder_cert"),
            models.Index(fields=["vendor", "status"], name="certificate_vendor_status"),
            # Who holds a valid certificate of these certifications, read from the index alone:
            # the programme dashboard's certified engineers per product.
            models.Index(
                fields=["certification", "status", "expires_on", "holder"], name="certificate_cert_valid_holder"
            ),
        ]

    def __str__(self):
        return self.serial


class CertificateEvent(models.Model):
    """Audit trail of a certificate: issue, PDF renders, reminders, expiry, renewal, revocation."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PDF_RENDERED = "pdf_rendered", _("PDF rendered")
        PDF_EMAILED = "pdf_emailed", _("PDF e-mailed")
        REMINDER_SENT = "reminder_sent", _("Expiry reminder sent")
        EXPIRED = "expired", _("Expired")
        RENEWED = "renewed", _("Renewed")
        REVOKED = "revoked", _("Revoked")
        NAME_CORRECTION_REQUESTED = "name_requested", _("Name correction requested")
        NAME_CORRECTED = "name_corrected", _("Name corrected")
        NAME_CORRECTION_REJECTED = "name_rejected", _("Name correction rejected")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["certificate", "kind"], name="certificate_event_kind")]

    def __str__(self):
        return f"{self.certificate_id} {self.kind}"


class CertificateReminder(models.Model):
    """One row per reminder sent (60, 30 or 7 days before expiry), so each goes out once."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["certificate", "days_before"], name="certificate_reminder_once")]

    def __str__(self):
        return f"{self.certificate_id} {self.days_before}d"


class CertificatePdfBatch(models.Model):
    """A bulk regeneration of PDFs after a template change, with its progress. Serials and dates
    never change; only the PDF and its hash are replaced."""

    vendor = models.ForeignKey("community.Vendor", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("PDF regeneration")
        verbose_name_plural = _("PDF regenerations")

    def __str__(self):
        return f"{self.vendor_id} {self.done}/{self.total}"
