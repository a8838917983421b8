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
