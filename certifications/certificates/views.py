"""Certificate pages for people: one's own certificates, a partner admin's team certificates, and
the PDF download. Thin: find through a selector (which decides who may see what), render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from certifications.certificates import selectors
from certifications.certificates.status import CertificateStatus
from community.selectors import organisation_managed_by

TEAM_CERTIFICATES_PER_PAGE = 50


@login_required
def my_certificates(request):
    certificates = selectors.certificates_of_holder(user=request.user)
    return render(request, "certifications/my_certificates.html", {"certificates": certificates})


@login_required
def certificate_pdf(request, serial: str):
    """Serves the PDF stored at issue, never a fresh rendering, so what is downloaded is exactly
    what was issued (and what its hash verifies)."""
    certificate = selectors.certificate_for_download(serial=serial, user=request.user)
    if certificate is None:
        raise Http404
    if not certificate.pdf:
        return render(request, "certifications/certificate_pdf_pending.html", {"certificate": certificate}, status=202)
    try:
        handle = certificate.pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    filename = f"{slugify(certificate.certification_title) or 'certificate'}-{certificate.serial}.pdf"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")


def _team_filters() -> list[tuple[str, str]]:
    shown = (CertificateStatus.EXPIRING, CertificateStatus.VALID, CertificateStatus.EXPIRED, CertificateStatus.REVOKED)
    return [("", _("All")), *((status.value, status.label) for status in shown)]


@login_required
def team_certificates(request, slug: str):
    """Only the organisation's current partner admins; anyone else gets a 404."""
    organisation = organisation_managed_by(user=request.user, slug=slug)
    if organisation is None:
        raise Http404
    status = request.GET.get("status", "")
    if status not in CertificateStatus.values:
        status = ""
    today = timezone.localdate()
    page = Paginator(
        selectors.team_certificates(organisation=organisation, status=status, today=today),
        TEAM_CERTIFICATES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    counts = selectors.team_certificate_counts(organisation=organisation, today=today)
    rows = [
        {"certificate": c, "status": selectors.shown_status(c, today=today), "days_left": (c.expires_on - today).days}
        for c in page
    ]
    return render(
        request,
        "certifications/team_certificates.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "status": status,
            "filters": [(key, label, counts[key]) for key, label in _team_filters()],
            "expiring_soon_days": selectors.EXPIRING_SOON_DAYS,
        },
    )
