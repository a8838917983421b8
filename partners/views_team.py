"""Teaming pages: the lead partner's team for an engagement (suggestions and invitations) and the
invited partner's answer. Only each partner's answerers see them; anyone else gets a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.errors import error_text
from partners import teaming
from partners.models import Engagement, EngagementPartner
from partners.views_leads import _answering_organisation


@login_required
def engagement_team(request, pk):
    organisation = _answering_organisation(request)
    engagement = get_object_or_404(
        Engagement.objects.select_related("organisation", "vendor"), pk=pk, organisation=organisation
    )
    products = list(teaming.products_to_team_for(engagement=engagement))
    product = next((p for p in products if p.slug == request.GET.get("product")), None)
    if request.method == "POST":
        product = next((p for p in products if str(p.pk) == request.POST.get("product")), None)
        partner = (
            product
            and teaming.teaming_suggestions(engagement=engagement, product=product)
            .filter(pk=request.POST.get("partner"))
            .first()
        )
        try:
            if partner is None:
                raise ValidationError(_("Choose a suggested partner."))
            teaming.team_invite(
                engagement=engagement,
                organisation=partner,
                product=product,
                part=request.POST.get("part", "")[:300],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("%(partner)s is invited; they answer from their leads.") % {"partner": partner.name}
            )
            return redirect("partners:engagement_team", pk=engagement.pk)
    return render(
        request,
        "partners/team.html",
        {
            "engagement": engagement,
            "team": engagement.team.select_related("organisation").prefetch_related("products"),
            "products": products,
            "product": product,
            "suggestions": teaming.teaming_suggestions(engagement=engagement, product=product) if product else None,
            "part": request.POST.get("part", ""),
        },
    )


def _invitation(request, pk) -> EngagementPartner:
    organisation = _answering_organisation(request)
    return get_object_or_404(
        EngagementPartner.objects.select_related("engagement__organisation", "engagement__vendor"),
        pk=pk,
        organisation=organisation,
    )


@login_required
def team_invitation(request, pk):
    member = _invitation(request, pk)
    return render(
        request,
        "partners/team_invitation.html",
        {"member": member, "products": list(member.products.order_by("name"))},
    )


@login_required
@require_POST
def team_invitation_answer(request, pk):
    member = _invitation(request, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        teaming.team_answer(member_id=member.pk, user=request.user, accept=accept)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("You joined the team.") if accept else _("You declined the invitation."))
    return redirect("partners:team_invitation", pk=member.pk)
