"""A partner admin's gap view: which delivery rights the organisation holds, what it still
needs for the others, and which rights are at risk in the next 90 days. Thin: find through a selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from certifications.rights import selectors as rights_selectors
from certifications.rights.forecast import organisation_forecast
from community.selectors import organisation_managed_by


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
            "forecast": organisation_forecast(organisation=organisation),
        },
    )
