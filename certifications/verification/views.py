"""Public verification pages: `/verify/` asks for a serial or a PDF, `/verify/<serial>/` shows what
the certificate says and whether it still holds. Nobody signs in; nothing private is shown; every
look-up that reaches the database counts against the visitor's per-minute budget; search engines
are asked not to index any of it (a certificate is for whoever holds its serial, not for search)."""

from functools import wraps

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from certifications.verification.forms import PdfUploadForm, SerialForm
from certifications.verification.lookup import (
    PDF_MAX_BYTES,
    LookupStatus,
    certificate_lookup,
    certificate_public_status,
    lookup_rate_exceeded,
    pdf_check,
)

# Room for the multipart envelope around a file of the largest size we read.
_UPLOAD_OVERHEAD = 64 * 1024


def _noindex(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _rate_limited(request):
    response = render(request, "certifications/verify_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@csrf_exempt  # checked by `_verify`, once an oversized upload has been turned away unread
@_noindex
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request):
    """GET with `serial` sends a well-formed serial to its page and explains a bad one here;
    POST checks an uploaded PDF and shows the verdict on this page. An upload whose request is
    larger than any PDF we read is refused before its body is read (which the CSRF check would
    otherwise do, streaming it to a temporary file); it changes nothing, so needs no token."""
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > PDF_MAX_BYTES + _UPLOAD_OVERHEAD:
        context = {"serial_form": SerialForm(), "upload_form": PdfUploadForm.too_large(), "pdf_result": None}
        return render(request, "certifications/verify.html", context, status=413)
    return _verify(request)


@csrf_protect
def _verify(request):
    serial_form = SerialForm(request.GET if "serial" in request.GET else None)
    upload_form = PdfUploadForm()
    pdf_result = None
    if serial_form.is_bound and serial_form.is_valid():
        return redirect("certifications:verify_serial", serial=serial_form.cleaned_data["serial"])
    status = 400 if serial_form.is_bound else 200
    if request.method == "POST":
        if lookup_rate_exceeded(request):
            return _rate_limited(request)
        upload_form, pdf_result = _check_upload(request)
        status = 200 if pdf_result else 400
    context = {"serial_form": serial_form, "upload_form": upload_form, "pdf_result": pdf_result}
    if pdf_result and pdf_result.certificate:
        context["pdf_status"] = certificate_public_status(pdf_result.certificate)
    return render(request, "certifications/verify.html", context, status=status)


def _check_upload(request):
    form = PdfUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    try:
        return form, pdf_check(upload=form.cleaned_data["pdf"])
    except ValidationError as error:
        form.add_error("pdf", error)
        return form, None


@_noindex
@require_http_methods(["GET", "HEAD"])
def verify_serial(request, serial: str):
    """The certificate's public record, at its canonical address (other spellings redirect)."""
    if lookup_rate_exceeded(request):
        return _rate_limited(request)
    lookup = certificate_lookup(text=serial)
    if lookup.serial and lookup.serial != serial:
        return redirect("certifications:verify_serial", serial=lookup.serial, permanent=True)
    if lookup.status is LookupStatus.FOUND:
        certificate = lookup.certificate
        context = {
            "certificate": certificate,
            "status": certificate_public_status(certificate),
            "certification_url": certificate.certification.get_url(request=request),
            "today": timezone.localdate(),
        }
        return render(request, "certifications/verify_result.html", context)
    if lookup.status is LookupStatus.UNKNOWN:
        return render(request, "certifications/verify_result.html", {"serial": lookup.serial}, status=404)
    # Malformed or mistyped: say which on the form, with the text to correct.
    serial_form = SerialForm({"serial": serial})
    serial_form.is_valid()
    context = {"serial_form": serial_form, "upload_form": PdfUploadForm(), "pdf_result": None}
    return render(request, "certifications/verify.html", context, status=404)
