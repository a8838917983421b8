"""Webhooks in the Wagtail admin, for vendor staff: their vendors' endpoints, registering one
(its secret shown once, on the page that answers), changing it, rotating its secret, disabling
and enabling it, a test event, its messages with every attempt, and replaying a message. Every
view finds the endpoint through the person's vendors, so anyone else's is a 404."""

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.models import WebhookAttempt, WebhookEndpoint, WebhookMessage
from community.selectors import vendors_for_staff
from community.webhooks import endpoints
from community.webhooks.events import EVENT_TYPES
from community.webhooks.forms import EndpointForm

MESSAGES_LISTED = 50


def _vendors(request):
    vendors = vendors_for_staff(user=request.user)
    if not vendors.exists():
        raise Http404
    return vendors


def _endpoint(request, endpoint_id: int) -> WebhookEndpoint:
    endpoint = (
        WebhookEndpoint.objects.select_related("vendor", "created_by")
        .filter(pk=endpoint_id, vendor__in=_vendors(request))
        .first()
    )
    if endpoint is None:
        raise Http404
    return endpoint


def index(request):
    vendors = _vendors(request)
    listed = (
        WebhookEndpoint.objects.filter(vendor__in=vendors)
        .select_related("vendor")
        .annotate(message_count=Count("messages"))
        .order_by("vendor__name", "url", "pk")
    )
    return render(request, "community/admin/webhooks.html", {"endpoints": list(listed), "event_types": EVENT_TYPES})


def create(request):
    vendors = _vendors(request)
    form = EndpointForm(request.POST or None, vendors=vendors, initial={"enabled": True})
    if request.method == "POST":
        if form.is_valid():
            endpoint = endpoints.endpoint_create(**form.cleaned_data, user=request.user)
            return _detail_page(request, endpoint, secret=endpoint.secret)
        return render(request, "community/admin/webhook_form.html", {"form": form}, status=400)
    return render(request, "community/admin/webhook_form.html", {"form": form})


def _detail_page(request, endpoint, *, form=None, secret: str = "", status: int = 200):
    attempts = Prefetch("attempts", queryset=WebhookAttempt.objects.order_by("-at", "-pk"))
    listed = endpoint.messages.prefetch_related(attempts).order_by("-created_at", "-pk")[:MESSAGES_LISTED]
    if form is None:
        form = EndpointForm(
            vendors=_vendors(request),
            editing=True,
            initial={"url": endpoint.url, "description": endpoint.description, "event_types": endpoint.event_types},
        )
    context = {
        "endpoint": endpoint,
        "form": form,
        "secret": secret,
        "webhook_messages": list(listed),
        "event_types": [EVENT_TYPES.get(name, name) for name in endpoint.event_types],
    }
    return render(request, "community/admin/webhook.html", context, status=status)


def detail(request, endpoint_id):
    endpoint = _endpoint(request, endpoint_id)
    if request.method == "POST":
        form = EndpointForm(request.POST, vendors=_vendors(request), editing=True)
        if not form.is_valid():
            return _detail_page(request, endpoint, form=form, status=400)
        endpoints.endpoint_update(endpoint=endpoint, **form.cleaned_data)
        messages.success(request, _("The endpoint is saved."))
        return redirect("webhooks_admin:detail", endpoint_id=endpoint.pk)
    return _detail_page(request, endpoint)


@require_POST
def rotate(request, endpoint_id):
    endpoint = _endpoint(request, endpoint_id)
    secret = endpoints.endpoint_secret_rotate(endpoint=endpoint)
    return _detail_page(request, endpoint, secret=secret)


@require_POST
def enable(request, endpoint_id):
    endpoint = _endpoint(request, endpoint_id)
    enabled = request.POST.get("enabled") == "1"
    endpoints.endpoint_enable(endpoint=endpoint, enabled=enabled)
    messages.success(request, _("The endpoint is enabled.") if enabled else _("The endpoint is disabled."))
    return redirect("webhooks_admin:detail", endpoint_id=endpoint.pk)


@require_POST
def test(request, endpoint_id):
    endpoint = _endpoint(request, endpoint_id)
    if not endpoint.enabled:
        messages.error(request, _("Enable the endpoint to send it a test event."))
    else:
        endpoints.endpoint_test_send(endpoint=endpoint, user=request.user)
        messages.success(request, _("A test event was sent; its attempts are listed below."))
    return redirect("webhooks_admin:detail", endpoint_id=endpoint.pk)


@require_POST
def replay(request, endpoint_id, message_id):
    endpoint = _endpoint(request, endpoint_id)
    message = WebhookMessage.objects.filter(pk=message_id, endpoint=endpoint).first()
    if message is None:
        raise Http404
    endpoints.message_replay(message=message)
    messages.success(request, _("The message will be sent again with the same webhook-id."))
    return redirect("webhooks_admin:detail", endpoint_id=endpoint.pk)


urlpatterns = [
    path("", index, name="index"),
    path("new/", create, name="create"),
    path("<int:endpoint_id>/", detail, name="detail"),
    path("<int:endpoint_id>/rotate/", rotate, name="rotate"),
    path("<int:endpoint_id>/enable/", enable, name="enable"),
    path("<int:endpoint_id>/test/", test, name="test"),
    path("<int:endpoint_id>/messages/<int:message_id>/replay/", replay, name="replay"),
]
