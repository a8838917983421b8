from celery import shared_task
from django.conf import settings
from django.urls import reverse

from community.emails import templated_email
from community.models import Invitation, User


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send(self, *, invitation_id: int, token: str) -> bool:
    """E-mail an invitation link. Safe to retry: a used or withdrawn invitation is not sent."""
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return False
    existing = User.objects.filter(email__iexact=invitation.email).first()
    language = (existing or invitation.invited_by).preferred_language if (existing or invitation.invited_by) else "en"
    context = {
        "invitation": invitation,
        "accept_url": settings.SITE_URL + reverse("community:invitation_accept", kwargs={"token": token}),
        "has_account": existing is not None,
    }
    templated_email("community/email/invitation", context, to=invitation.email, language=language).send()
    return True


@shared_task
def invitations_expire() -> int:
    """Periodic: drop invitations that ended long ago (links are refused at expiry anyway)."""
    from community.services import invitations_purge

    return invitations_purge()


@shared_task
def webhook_message_deliver(*, message_id: int) -> bool:
    """One attempt at a webhook message. Safe to run twice or after a killed worker: only the
    worker that claims the message sends it (`community.webhooks.delivery`)."""
    from community.webhooks.delivery import message_deliver

    outcome = message_deliver(message_id=message_id)
    return outcome is not None and outcome.succeeded


@shared_task
def webhook_messages_sweep() -> int:
    """Periodic: queue every webhook message whose next attempt is due, or whose worker died."""
    from community.webhooks.delivery import messages_due

    due = messages_due()
    for message_id in due:
        webhook_message_deliver.delay(message_id=message_id)
    return len(due)


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def webhook_endpoint_disabled_email(self, *, endpoint_id: int) -> int:
    """E-mail that a failing endpoint was disabled. Retried on mail errors; an endpoint enabled
    again meanwhile is not reported."""
    from community.webhooks.endpoints import endpoint_disabled_email

    return endpoint_disabled_email(endpoint_id=endpoint_id)
