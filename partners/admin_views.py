"""Marketplace pages of the Wagtail admin beside its snippets: the requests inbox (the requests
that went to the vendor's own account team, for its staff) and the named-account CSV import (for
its programme managers). Anyone without such a vendor gets 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community.admin_scoping import managed_vendor_ids, staff_vendor_ids
from community.selectors import vendors_for_managers
from partners import named_accounts, selectors_marketplace
from partners.forms_vendor import NamedAccountImportForm
from partners.models import CustomerRequest

INBOX_PER_PAGE = 30


def requests_inbox(request):
    vendor_ids = staff_vendor_ids(request.user)
    if not vendor_ids:
        raise Http404
    requests = selectors_marketplace.vendor_requests(vendor_ids=vendor_ids, state=CustomerRequest.State.VENDOR)
    page = Paginator(requests, INBOX_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "partners/admin/inbox.html", {"page": page})


def named_accounts_import(request):
    if not managed_vendor_ids(request.user):
        raise Http404
    form = NamedAccountImportForm(
        request.POST or None, request.FILES or None, vendors=vendors_for_managers(user=request.user)
    )
    result = None
    if request.method == "POST" and form.is_valid():
        result = named_accounts.named_accounts_import(
            vendor=form.cleaned_data["vendor"], text=form.cleaned_data["text"], by=request.user
        )
        if not result.errors:
            messages.success(
                request,
                _("%(created)d named accounts added and %(updated)d updated.")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            return redirect("wagtailsnippets_partners_namedaccount:list")
    return render(request, "partners/admin/named_accounts_import.html", {"form": form, "result": result})
