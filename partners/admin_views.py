"""Marketplace pages of the Wagtail admin beside its snippets: the named-account CSV import (for
a vendor's programme managers). Anyone without such a vendor gets 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from community.admin_scoping import managed_vendor_ids
from community.selectors import vendors_for_managers
from partners import named_accounts
from partners.forms_vendor import NamedAccountImportForm


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
