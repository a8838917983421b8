"""The Certificates area of the Wagtail admin, for programme managers: their vendors'
certificates with filters and search, each certificate's facts and audit events, and revocation.
Authors (staff who are not programme managers) have no business with holders' records and get a
404, as does anyone for another vendor's certificate: every view finds the certificate through
the vendors the person manages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.certificates import selectors
from certifications.certificates.forms import CertificateFilterForm, CertificateRevokeForm
from certifications.certificates.lifecycle import certificate_revoke
from certifications.certificates.status import certificate_status
from community.selectors import vendors_for_managers

CERTIFICATES_PER_PAGE = 50


def index(request):
    vendors = vendors_for_managers(user=request.user)
    if not vendors.exists():
        raise Http404
    form = CertificateFilterForm(request.GET or None, vendors=vendors)
    certificates = selectors.certificates_for_managers(user=request.user, **form.filters())
    page = Paginator(certificates, CERTIFICATES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    rows = [{"certificate": c, "status": certificate_status(c, day=today)} for c in page]
    return render(
        request,
        "certifications/admin/certificates.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


def _certificate(request, certificate_id):
    certificate = selectors.certificate_for_manager(user=request.user, certificate_id=certificate_id)
    if certificate is None:
        raise Http404
    return certificate


def detail(request, certificate_id, form=None, status=200):
    certificate = _certificate(request, certificate_id)
    return render(
        request,
        "certifications/admin/certificate_detail.html",
        {
            "certificate": certificate,
            "status": certificate_status(certificate, day=timezone.localdate()),
            "events": list(selectors.certificate_events(certificate=certificate)),
            "revoke_form": form or CertificateRevokeForm(),
        },
        status=status,
    )


@require_POST
def revoke(request, certificate_id):
    certificate = _certificate(request, certificate_id)
    form = CertificateRevokeForm(request.POST)
    if not form.is_valid():
        return detail(request, certificate_id, form=form, status=400)
    try:
        certificate_revoke(
            certificate=certificate,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            revoked_by=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return detail(request, certificate_id, form=form, status=400)
    messages.success(
        request,
        _("Certificate %(serial)s is revoked. Verification shows it at once and the holder has been told.")
        % {"serial": certificate.serial},
    )
    return redirect("certificates_admin:detail", certificate_id=certificate.pk)


urlpatterns = [
    path("", index, name="index"),
    path("<int:certificate_id>/", detail, name="detail"),
    path("<int:certificate_id>/revoke/", revoke, name="revoke"),
]
