"""Pages about delivery rights: the public partner directory and profiles, and a partner admin's
gap view. Thin: parse input, call a selector, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from certifications import rights_selectors
from certifications.directory_cache import directory_results
from certifications.rights_forms import DirectoryFilterForm
from community.selectors import organisation_managed_by

PARTNERS_PER_PAGE = 12


def directory(request):
    """The filter form, and the results from directory_cache when it has them."""
    products = list(rights_selectors.products_with_rules())
    form = DirectoryFilterForm(request.GET, products=products)
    filters = form.filters()
    context = {"form": form, "filtered": any(filters.values())}

    def render_results() -> str:
        page = Paginator(rights_selectors.directory_search(**filters), PARTNERS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        query = request.GET.copy()
        query.pop("page", None)
        results = {"page": page, "selected_product": filters["product"], "query": query.urlencode()}
        return render_to_string("certifications/includes/directory_results.html", context | results, request=request)

    context["results_html"] = directory_results.get_or_render(request=request, render=render_results)
    return render(request, "certifications/directory.html", context)


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
