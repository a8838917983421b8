"""The public partner directory (`/partners/`) and each partner's page (`/partners/<slug>/`).
Anyone may see them; they show only what a partner's rights make public. Thin: parse input,
call a selector, render."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from certifications.rights import selectors as rights_selectors
from partners import directory_cache, selectors
from partners.directory_cache import directory_results
from partners.forms import DirectoryFilterForm
from partners.trust import trust_profiles
from partners.trust_rules import SCORE_MIN_RESPONSES

PARTNERS_PER_PAGE = 12


def directory(request):
    """The filter form, and the results from directory_cache when it has them."""
    products = list(rights_selectors.products_with_rules())
    form = DirectoryFilterForm(request.GET, products=products, tiers=list(selectors.tier_choices()))
    filters = form.filters()
    context = {"form": form, "filtered": any(filters.values())}

    def render_results() -> str:
        page = Paginator(selectors.directory_search(**filters), PARTNERS_PER_PAGE).get_page(request.GET.get("page"))
        profiles = trust_profiles(page.object_list)
        for partner in page.object_list:
            partner.trust = profiles[partner.pk]
        query = request.GET.copy()
        query.pop("page", None)
        results = {"page": page, "selected_product": filters["product"], "query": query.urlencode()}
        return render_to_string("partners/includes/directory_results.html", context | results, request=request)

    context["results_html"] = directory_results.get_or_render(request=request, render=render_results)
    return render(request, "partners/directory.html", context)


def partner(request, slug):
    profile = selectors.partner_profile(slug=slug)
    if profile is None:
        raise Http404
    trust = directory_cache.trust_profile(profile.organisation, comments=5)
    context = {"profile": profile, "organisation": profile.organisation, "trust": trust}
    context["score_min_responses"] = SCORE_MIN_RESPONSES
    return render(request, "partners/partner.html", context)
