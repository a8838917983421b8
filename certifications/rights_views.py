"""Pages about delivery rights: the public partner directory and profiles, and a partner admin's
gap view. Thin: parse input, call a selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from certifications import rights_selectors
from certifications.rights_forms import DirectoryFilterForm
from community.selectors import organisation_managed_by

PARTNERS_PER_PAGE = 12


def directory(request):
    products = list(rights_selectors.products_with_rules())
    form = DirectoryFilterForm(request.GET, products=products)
    filters = form.filters()
    page = Paginator(rights_selectors.directory_search(**filters), PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certifications/directory.html",
        {
            "form": form,
            "page": page,
            "filtered": any(filters.values()),
            "selected_product": filters["product"],
            "query": query.urlencode(),
        },
    )


def partner(request, slug):
    profile = rights_selectors.partner_profile(slug=slug)
    if profile is None:
        raise Http404
    return render(request, "certifications/partner.html", {"profile": profile, "organisation": profile.organisation})


@login_required
def gap(request, slug):
    """Only the organisation's current partner admins; anyone else gets a 404."""
    organisation = organisation_managed_by(user=request.user, slug=slug)
    if organisation is None:
        raise Http404
    vendors = rights_selectors.organisation_gap(organisation=organisation)
    rows = [row for group in vendors for row in group.rows]
    return render(
        request,
        "certifications/gap.html",
        {
            "organisation": organisation,
            "vendors": vendors,
            "held": sum(row.holds for row in rows),
            "in_grace": sum(row.status == "grace" for row in rows),
            "total": len(rows),
        },
    )
