"""Live badges: the public SVG of each delivery right, and the page where a partner's admins
copy the snippet that shows it on their own site. Thin: find through `partners.badges`, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from community.selectors import organisation_managed_by
from partners import badges


@require_http_methods(["GET", "HEAD"])
def badge(request, slug, product_slug):
    """Anyone, from any site; 404 when the organisation never had a row for the product."""
    right = badges.right_for_badge(slug=slug, product_slug=product_slug)
    if right is None:
        raise Http404
    # Without the request, so no context processor (the site, the menus) costs a query.
    svg = render_to_string("partners/badge.svg", {"badge": badges.badge_for(right), "height": badges.BADGE_HEIGHT})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={badges.BADGE_MAX_AGE}"
    # Opened on its own, the SVG is a document: it may draw and style itself, nothing more.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
def badge_list(request, slug):
    """Only the organisation's current partner admins; anyone else gets a 404."""
    organisation = organisation_managed_by(user=request.user, slug=slug)
    if organisation is None:
        raise Http404
    rows = [
        {
            "right": right,
            "status": badges.status_text(right.status),
            "badge_url": badges.badge_url(slug=organisation.slug, product_slug=right.product.slug),
            "snippet": badges.badge_snippet(right),
            "credential": next(iter(right.current_credentials), None),
        }
        for right in badges.organisation_badge_rights(organisation=organisation)
    ]
    return render(request, "partners/badges.html", {"organisation": organisation, "rows": rows})
