"""Name corrections: the holder's request form (from their certificates page) and, in the
Wagtail admin, the queue of the vendor's programme managers, with the superseded PDFs. Anyone
else, and another vendor's request, gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.certificates.name_corrections import name_correction_decide, name_correction_request
from certifications.models import Certificate, NameCorrection
from community.errors import error_text
from community.selectors import vendors_for_managers

QUEUE_SHOWN = 50


@login_required
def request_form(request, serial: str):
    certificate = Certificate.objects.filter(serial=serial, holder=request.user).first()
    if certificate is None:
        raise Http404
    error, status = "", 200
    if request.method == "POST":
        try:
            name_correction_request(
                certificate=certificate,
                user=request.user,
                new_name=request.POST.get("new_name", "")[:150],
                reason=request.POST.get("reason", "")[:2000],
            )
        except ValidationError as exc:
            error, status = error_text(exc), 400
        else:
            messages.success(request, _("Your request has been sent. You will hear of the decision by e-mail."))
            return redirect("certifications:my_certificates")
    pending = certificate.name_corrections.filter(status=NameCorrection.Status.PENDING).first()
    context = {"certificate": certificate, "pending": pending, "error": error, "posted": request.POST}
    return render(request, "certifications/name_correction_request.html", context, status=status)


def _managed(user):
    return NameCorrection.objects.filter(certificate__vendor__in=vendors_for_managers(user=user))


def queue(request):
    if not vendors_for_managers(user=request.user).exists():
        raise Http404
    corrections = _managed(request.user).select_related("certificate", "requested_by", "decided_by")
    pending = list(corrections.filter(status=NameCorrection.Status.PENDING).order_by("requested_at", "pk"))
    decided = list(corrections.exclude(status=NameCorrection.Status.PENDING).order_by("-decided_at")[:QUEUE_SHOWN])
    return render(request, "certifications/admin/name_corrections.html", {"pending": pending, "decided": decided})


@require_POST
def decide(request, correction_id: int):
    correction = _managed(request.user).filter(pk=correction_id).first()
    if correction is None:
        raise Http404
    approve = request.POST.get("decision") == "approve"
    try:
        name_correction_decide(
            correction=correction, decided_by=request.user, approve=approve, note=request.POST.get("note", "")[:2000]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Approved: the new PDF is being rendered.") if approve else _("Rejected."))
    return redirect("name_corrections")


def superseded_pdf(request, correction_id: int):
    correction = _managed(request.user).filter(pk=correction_id).exclude(superseded_pdf="").first()
    if correction is None:
        raise Http404
    try:
        handle = correction.superseded_pdf.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = f"{correction.certificate.serial}-superseded-{correction.pk}.pdf"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
