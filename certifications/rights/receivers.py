"""Signal receivers: wiring only. A membership change comes as a signal (community cannot call
certifications) and is handed to the rights-queueing service (`certifications.rights.services`)."""

from certifications.models import DeliveryRightEvent
from certifications.rights.services import rights_recompute_queue

Cause = DeliveryRightEvent.Cause

MEMBERSHIP_CAUSES = {"joined": Cause.MEMBER_JOINED, "left": Cause.MEMBER_LEFT}


def membership_changed(sender, membership, change, **kwargs):
    """Joining or leaving changes who counts; a role change does not."""
    if change in MEMBERSHIP_CAUSES:
        rights_recompute_queue(organisation_id=membership.organisation_id, cause=MEMBERSHIP_CAUSES[change])
