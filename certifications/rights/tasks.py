"""Background work for delivery rights. Task names are pinned so that queued tasks and the beat
schedule keep their names whatever module holds them."""

from celery import shared_task
from django.db import OperationalError

from certifications.rights import services


@shared_task(
    name="certifications.tasks.rights_recompute",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def rights_recompute(*, organisation_id: int, cause: str) -> list[str]:
    """Recompute one organisation's delivery rights (after a certificate or membership change).
    Idempotent: a second run finds nothing to change."""
    return services.rights_recompute_organisation(organisation_id=organisation_id, cause=cause)


@shared_task(
    name="certifications.tasks.rights_recompute_product",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def rights_recompute_product(*, product_id: int, cause: str) -> int:
    """Recompute the rights a product's rule concerns (after the rule changed)."""
    return services.rights_recompute_product(product_id=product_id, cause=cause)


@shared_task(name="certifications.tasks.rights_recheck_all")
def rights_recheck_all() -> int:
    """Nightly: re-check every delivery right, report and fix drift, lapse ended graces.
    Returns how many rights had drifted."""
    return services.rights_recheck_all().drifted
