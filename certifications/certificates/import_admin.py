"""Importing a vendor's existing certificates in the Wagtail admin, for its programme managers
(like the Certificates area: holders' records are theirs, not authors'). Upload runs the dry run
and keeps the file; the import's page shows its errors, or starts the real run and shows its
progress, refreshing until it ends. Every view finds the import through the vendors the person
manages, so anyone else's is a 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from certifications.certificates import legacy_import, selectors
from certifications.certificates.forms import CertificateImportForm
from community.errors import error_text
from community.selectors import vendors_for_managers

IMPORTS_LISTED = 20


def imports(request):
    vendors = vendors_for_managers(user=request.user)
    if not vendors.exists():
        raise Http404
    form = CertificateImportForm(request.POST or None, request.FILES or None, vendors=vendors)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                certificate_import = legacy_import.certificate_import_check(
                    vendor=form.cleaned_data["vendor"],
                    upload=form.cleaned_data["file"],
                    invite_new=form.cleaned_data["invite_new"],
                    uploaded_by=request.user,
                )
            except legacy_import.ImportFileError as error:
                form.add_error("file", error)
            else:
                return redirect("certificate_imports:detail", import_id=certificate_import.pk)
        status = 400
    return render(
        request,
        "certifications/admin/certificate_imports.html",
        {
            "form": form,
            "imports": list(selectors.certificate_imports_for_managers(user=request.user)[:IMPORTS_LISTED]),
            "columns": legacy_import.COLUMNS,
            "max_mb": legacy_import.MAX_BYTES // 2**20,
            "max_rows": legacy_import.MAX_ROWS,
        },
        status=status,
    )


def _import(request, import_id):
    certificate_import = selectors.certificate_import_for_manager(user=request.user, import_id=import_id)
    if certificate_import is None:
        raise Http404
    return certificate_import


def detail(request, import_id):
    certificate_import = _import(request, import_id)
    running = certificate_import.status == certificate_import.Status.RUNNING
    return render(
        request,
        "certifications/admin/certificate_import.html",
        {
            "job": certificate_import,
            "running": running,
            "startable": legacy_import.certificate_import_startable(certificate_import, now=timezone.now()),
            "to_import": certificate_import.total - certificate_import.already_imported,
            "more_errors": certificate_import.error_count - len(certificate_import.errors),
        },
    )


@require_POST
def start(request, import_id):
    certificate_import = _import(request, import_id)
    try:
        legacy_import.certificate_import_start(certificate_import=certificate_import)
    except legacy_import.ImportNotStartable as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The import has started."))
    return redirect("certificate_imports:detail", import_id=certificate_import.pk)


urlpatterns = [
    path("", imports, name="index"),
    path("<int:import_id>/", detail, name="detail"),
    path("<int:import_id>/start/", start, name="start"),
]
