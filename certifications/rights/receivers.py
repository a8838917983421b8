"""Signal receivers: wiring only. Each hands the work to a task after the transaction commits,
and the task calls the service that owns the rule (`certifications.rights.services`)."""

from django.db import transaction

from certifications.models import DeliveryRightEvent
from community.selectors import membership_current

Cause = DeliveryRightEvent.Cause

CERTIFICATE_CAUSES = {
    "issued": Cause.CERTIFICATE_ISSUED,
    "expired": Cause.CERTIFICATE_EXPIRED,
    "revoked": Cause.CERTIFICATE_REVOKED,
    "renewed": Cause.CERTIFICATE_RENEWED,
}
MEMBERSHIP_CAUSES = {"joined": Cause.MEMBER_JOINED, "left": Cause.MEMBER_LEFT}


def _recompute_on_commit(organisation_id: int, cause: str) -> None:
    from certifications.rights.tasks import rights_recompute

    transaction.on_commit(lambda: rights_recompute.delay(organisation_id=organisation_id, cause=cause))


def certificate_changed(sender, certificate, change, **kwargs):
    """A certificate counts for its holder's current organisation (if any) only."""
    membership = membership_current(user=certificate.holder)
    if membership is not None and change in CERTIFICATE_CAUSES:
        _recompute_on_commit(membership.organisation_id, CERTIFICATE_CAUSES[change])


def membership_changed(sender, membership, change, **kwargs):
    """Joining or leaving changes who counts; a role change does not."""
    if change in MEMBERSHIP_CAUSES:
        _recompute_on_commit(membership.organisation_id, MEMBERSHIP_CAUSES[change])
