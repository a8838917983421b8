"""Delivery and satisfaction: the partner's engagements (`/partners/engagements/`), marked
delivered by its answerers; the customer's one-time survey (`/partners/survey/<token>/`, a
signed link, no account); the partner's public reply to a comment; and the vendor's list of
survey answers (`/partners/vendor/responses/`), where its staff hide an abusive comment.
Another partner's engagement is a 404, as if it did not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from community import selectors as community_selectors
from community.admin_scoping import managed_vendor_ids
from community.csv_export import csv_response, iso, list_queries
from community.errors import error_text
from community.models import Product
from partners import engagements, selectors_marketplace, tokens
from partners.forms_engagements import ReplyForm, ResponseFilterForm, SurveyForm
from partners.models import Engagement, SatisfactionResponse
from partners.views_leads import _answering_organisation

PER_PAGE = 20
CSV_COLUMNS = (
    "answer",
    "answered",
    "vendor",
    "partner",
    "partner_region",
    "customer_company",
    "products",
    "satisfaction",
    "would_recommend",
    "comment",
    "comment_hidden",
    "partner_reply",
)


@login_required
def engagement_list(request):
    organisation = _answering_organisation(request)
    page = Paginator(selectors_marketplace.partner_engagements(organisation=organisation), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/engagements.html", {"organisation": organisation, "page": page})


@login_required
def engagement(request, pk):
    organisation = _answering_organisation(request)
    item = get_object_or_404(
        selectors_marketplace.partner_engagements(organisation=organisation).select_related("response__hidden_by"),
        pk=pk,
    )
    return render(
        request,
        "partners/engagement.html",
        {
            "organisation": organisation,
            "engagement": item,
            "response": getattr(item, "response", None),
            "reply_form": ReplyForm(),
        },
    )


@login_required
@require_POST
def engagement_deliver(request, pk):
    organisation = _answering_organisation(request)
    if not Engagement.objects.filter(pk=pk, organisation=organisation).exists():
        raise Http404
    try:
        engagements.engagement_deliver(engagement_id=pk, user=request.user)
        messages.success(request, _("Marked delivered. The customer has been sent the satisfaction survey."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:engagement", pk=pk)


@login_required
@require_POST
def response_reply(request, pk):
    organisation = _answering_organisation(request)
    response = SatisfactionResponse.objects.filter(engagement_id=pk, organisation=organisation).first()
    if response is None:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        item = selectors_marketplace.partner_engagements(organisation=organisation).get(pk=pk)
        context = {"organisation": organisation, "engagement": item, "response": response, "reply_form": form}
        return render(request, "partners/engagement.html", context, status=400)
    try:
        engagements.response_reply(response_id=response.pk, user=request.user, text=form.cleaned_data["reply"])
        messages.success(request, _("Your reply is published under the comment."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:engagement", pk=pk)


@never_cache
def survey(request, token):
    """Only through the signed link, only for a delivered engagement, answered once."""
    engagement_id = tokens.token_read(tokens.SURVEY, token)
    item = engagement_id and (
        Engagement.objects.select_related("organisation").filter(pk=engagement_id, delivered_at__isnull=False).first()
    )
    if not item:
        raise Http404
    answered = SatisfactionResponse.objects.filter(engagement=item).exists()
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and not answered and form.is_valid():
        try:
            engagements.survey_answer(engagement_id=item.pk, **form.cleaned_data)
            messages.success(request, _("Thank you: your answer is recorded."))
        except engagements.EngagementClosed:
            pass  # answered meanwhile, in another tab: the page says so
        return redirect(request.path)
    response = render(request, "partners/survey.html", {"engagement": item, "form": form, "answered": answered})
    response["X-Robots-Tag"] = "noindex"
    # The token is the secret: never sent to another site. (Not "no-referrer": a form posted from
    # such a page carries "Origin: null", which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


def _staff_vendor_ids(request) -> list[int]:
    vendor_ids = list(community_selectors.vendors_for_staff(user=request.user).values_list("pk", flat=True))
    if not vendor_ids:
        raise PermissionDenied
    return vendor_ids


@login_required
def vendor_responses(request):
    vendor_ids = _staff_vendor_ids(request)
    products = Product.objects.filter(vendor_id__in=vendor_ids).order_by("name")
    filters = ResponseFilterForm(request.GET or None, products=products)
    responses = selectors_marketplace.vendor_responses(vendor_ids=vendor_ids, **filters.filters())
    if request.GET.get("format") == "csv":
        return csv_response(name="survey-answers", columns=CSV_COLUMNS, rows=responses, row=_csv_row)
    query, csv_query = list_queries(request)
    summary = selectors_marketplace.satisfaction_summary(responses=responses)
    return render(
        request,
        "partners/vendor_responses.html",
        {
            "filters": filters,
            "page": Paginator(responses, PER_PAGE).get_page(request.GET.get("page")),
            "summary_tables": [
                (_("By partner's region"), summary["regions"]),
                (_("By product"), summary["products"]),
            ],
            "query": query,
            "csv_query": csv_query,
            "manages": bool(managed_vendor_ids(request.user)),
        },
    )


@login_required
@require_POST
def response_hide(request, pk):
    vendor_ids = _staff_vendor_ids(request)
    if not SatisfactionResponse.objects.filter(pk=pk, engagement__vendor_id__in=vendor_ids).exists():
        raise Http404
    try:
        engagements.response_hide(response_id=pk, user=request.user)
        messages.success(request, _("The comment is hidden from public pages; the answer still counts in the score."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("partners:vendor_responses")


def _csv_row(r: SatisfactionResponse) -> list:
    return [
        r.pk,
        iso(r.answered_at),
        r.engagement.vendor.name,
        r.organisation.name,
        r.organisation.region,
        r.engagement.customer_company,
        "; ".join(p.name for p in r.engagement.products.all()),
        r.satisfaction,
        r.recommend,
        r.comment,
        iso(r.hidden_at),
        r.reply,
    ]
