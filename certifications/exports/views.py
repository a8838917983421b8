"""CSV downloads, streamed: a vendor's programme managers export the vendor's certificates,
attempts, delivery rights and partners (from the programme dashboard, `?vendor=<slug>` among
those they manage), and a partner admin exports the team's members, certificates and rights.
Authors, other vendors' staff and everyone else get a 404, as for the pages these come from."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone

from certifications.exports import csv_datasets
from certifications.rights.dashboard_views import managed_vendor_chosen
from community.csv_export import csv_response
from community.selectors import organisation_managed_by


def vendor_export(request, kind: str):
    if kind not in csv_datasets.VENDOR_DATASETS:
        raise Http404
    vendor, _vendors = managed_vendor_chosen(request)
    dataset = csv_datasets.VENDOR_DATASETS[kind](vendor, timezone.localdate())
    return csv_response(name=f"{vendor.slug}-{kind}", columns=dataset.columns, rows=dataset.rows, row=dataset.row)


@login_required
def team_export(request, slug: str, kind: str):
    organisation = organisation_managed_by(user=request.user, slug=slug)
    if organisation is None or kind not in csv_datasets.TEAM_DATASETS:
        raise Http404
    dataset = csv_datasets.TEAM_DATASETS[kind](organisation, timezone.localdate())
    return csv_response(name=f"{organisation.slug}-{kind}", columns=dataset.columns, rows=dataset.rows, row=dataset.row)
