"""The programme dashboard in the Wagtail admin, for a vendor's programme managers (site
administrators pick any vendor), and its summary on the admin home page. Anyone who manages no
vendor's programme, authors included, gets 404."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.site_summary import SummaryItem

from certifications.rights.dashboard_selectors import (
    EXPIRING_DAYS,
    GRACE_LIST,
    RECENT_DAYS,
    partners_in_grace_count,
    programme_dashboard,
)
from community.admin_scoping import managed_vendor_ids
from community.selectors import vendors_for_managers


def programme(request):
    vendors = list(vendors_for_managers(user=request.user).order_by("name"))
    if not vendors:
        raise Http404
    chosen = request.GET.get("vendor", "")
    vendor = next((v for v in vendors if v.slug == chosen), vendors[0])
    now = timezone.now()
    return render(
        request,
        "certifications/admin/dashboard.html",
        {
            "dashboard": programme_dashboard(vendor=vendor, now=now, today=timezone.localdate(now)),
            "vendors": vendors,
            "recent_days": RECENT_DAYS,
            "expiring_days": EXPIRING_DAYS,
            "grace_list": GRACE_LIST,
        },
    )


class ProgrammeSummaryItem(SummaryItem):
    """The admin home page's way to the programme dashboard, with the partners who need attention."""

    order = 150
    template_name = "certifications/admin/programme_summary_item.html"

    def is_shown(self):
        return bool(managed_vendor_ids(self.request.user))

    def get_context_data(self, parent_context):
        return {
            "url": reverse("programme_dashboard"),
            "in_grace": partners_in_grace_count(vendor_ids=managed_vendor_ids(self.request.user)),
        }
