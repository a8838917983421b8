"""Certification versions. A vendor publishes a new version of a certification for a product's
new release; the new page names the version it supersedes and the last day the old one counts.
On publishing, the new version joins every delivery-right rule the old one counts in (an audited
rule change, so rights are recomputed), and from the day after, certificates of the old version
stop counting (`Certificate.objects.counting_on`): the nightly re-check moves the rights that
relied on them, and the forecast names who must take the new exam before then."""

from datetime import datetime

from django.db import transaction

from certifications.models import CertificationPage, DeliveryRightEvent, DeliveryRightRule
from certifications.rights.services import delivery_rule_save
from community.models import User

Cause = DeliveryRightEvent.Cause


@transaction.atomic
def version_publish(*, page: CertificationPage, user: User | None, now: datetime | None = None) -> list[int]:
    """Add the published new version `page` to the rules its old version counts in (audited),
    and recompute the rights of every product those rules concern, since the old version's last
    day may have moved. Returns those products."""
    from certifications.rights.tasks import rights_recompute_product

    if page.supersedes_id is None or not page.live:
        return []
    products = []
    rules = DeliveryRightRule.objects.filter(certifications=page.supersedes_id).select_related("product")
    for rule in rules.prefetch_related("certifications"):
        counted = list(rule.certifications.all())
        if page.pk in {c.pk for c in counted}:
            product_id = rule.product_id
            transaction.on_commit(
                lambda p=product_id: rights_recompute_product.delay(product_id=p, cause=Cause.RULE_CHANGED)
            )
        else:
            delivery_rule_save(rule=rule, certifications=[*counted, page], changed_by=user, now=now)
        products.append(rule.product_id)
    return products
