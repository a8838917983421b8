"""Signal receivers for partner tiers: wiring only. Rights, certificates and memberships change
in apps partners cannot be called from (`certifications`, `community`); each change is handed to
`partners.tiers.tiers_recompute_queue` for the organisation it concerns."""

from community.selectors import membership_current
from partners.tiers import Cause, tiers_recompute_queue


def right_saved(sender, instance, **kwargs):
    """Every change of a right (status or engineers counted) is a save by the rights engine."""
    tiers_recompute_queue(organisation_id=instance.organisation_id, cause=Cause.RIGHTS_CHANGED)


def certificate_changed(sender, certificate, change, **kwargs):
    """A certificate counts for its holder's current organisation only."""
    membership = membership_current(user=certificate.holder)
    if membership is not None:
        tiers_recompute_queue(organisation_id=membership.organisation_id, cause=Cause.PEOPLE_CHANGED)


def membership_changed(sender, membership, change, **kwargs):
    """Joining or leaving changes who counts; a role change does not."""
    if change in ("joined", "left"):
        tiers_recompute_queue(organisation_id=membership.organisation_id, cause=Cause.PEOPLE_CHANGED)
