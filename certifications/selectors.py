"""Reads other apps use about certifications and delivery rights."""

from collections.abc import Iterable

from django.db.models import QuerySet

from community.models import PartnerOrganisation


def certification_badges_for_users(*, user_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Badges of each person's valid certifications, in one query for all of `user_ids`:
    `{user_id: [{"name": ..., "vendor": ..., "url": ...}, ...]}`. Certificates are issued once
    the certificates feature lands; until then nobody holds one and this returns no badges."""
    return {}


def partners_with_delivery_right(*, product_id: int, region: str | None = None) -> QuerySet[PartnerOrganisation]:
    """Partner organisations that currently hold the delivery right for a product, optionally in
    one region. Rights are derived from certificates, so until certificates are issued there
    are none."""
    return PartnerOrganisation.objects.none()
