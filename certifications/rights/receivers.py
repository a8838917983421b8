"""Signal receivers: wiring only. A membership change comes as a signal (community cannot call
certifications) and is handed to the rights-queueing service (`certifications.rights.services`);
a published certification page may be a new version (`certifications.rights.versions`)."""

from certifications.models import CertificationPage, DeliveryRightEvent
from certifications.rights.services import rights_recompute_queue
from certifications.rights.versions import version_publish

Cause = DeliveryRightEvent.Cause

MEMBERSHIP_CAUSES = {"joined": Cause.MEMBER_JOINED, "left": Cause.MEMBER_LEFT}


def membership_changed(sender, membership, change, **kwargs):
    """Joining or leaving changes who counts; a role change does not."""
    if change in MEMBERSHIP_CAUSES:
        rights_recompute_queue(organisation_id=membership.organisation_id, cause=MEMBERSHIP_CAUSES[change])


def page_published(sender, instance, revision=None, **kwargs):
    if isinstance(instance, CertificationPage):
        version_publish(page=instance, user=getattr(revision, "user", None))
