"""Bulk ZIPs of certificate PDFs in the Wagtail admin, for a vendor's programme managers: the
request form, each archive's progress, and its download while the link lasts. Anyone else, and
another vendor's archive, is a 404; an expired link says so (410)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from certifications.exports import archives
from certifications.exports.forms import CertificateArchiveForm
from certifications.models import CertificateArchive
from certifications.rights.dashboard_views import managed_vendor_chosen
from community.selectors import vendors_for_managers

ARCHIVES_SHOWN = 20


def archive_list(request):
    vendor, vendors = managed_vendor_chosen(request)
    form = CertificateArchiveForm(request.POST if request.method == "POST" else None, vendor=vendor)
    if request.method == "POST" and form.is_valid():
        archives.certificate_archive_request(vendor=vendor, requested_by=request.user, **form.cleaned_data)
        messages.success(request, _("The ZIP is being built. This page shows its progress."))
        return redirect(f"{request.path}?vendor={vendor.slug}")
    shown = list(
        CertificateArchive.objects.filter(vendor=vendor)
        .select_related("certification", "organisation", "requested_by")
        .order_by("-created_at", "-pk")[:ARCHIVES_SHOWN]
    )
    now = timezone.now()
    context = {
        "vendor": vendor,
        "vendors": vendors,
        "form": form,
        "rows": [{"archive": a, "ready": archives.archive_is_downloadable(a, now=now)} for a in shown],
        "building": any(a.finished_at is None for a in shown),
        "hours": archives.ARCHIVE_HOURS,
    }
    return render(
        request, "certifications/admin/certificate_archives.html", context, status=400 if form.errors else 200
    )


def archive_download(request, archive_id: int):
    archive = CertificateArchive.objects.filter(
        pk=archive_id, vendor__in=vendors_for_managers(user=request.user)
    ).first()
    if archive is None or (not archive.file and archive.expires_at is None):
        raise Http404
    if not archives.archive_is_downloadable(archive, now=timezone.now()):
        return render(request, "certifications/admin/certificate_archive_expired.html", status=410)
    try:
        handle = archive.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = archive.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")
