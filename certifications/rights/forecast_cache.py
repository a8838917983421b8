"""The vendor dashboard's forecast figures (`forecast.vendor_forecast`), cached: they replay every
organisation's rights, about a second at scale, for a page programme managers reload all day.

The figures are kept per vendor, day and language under one generation (community.generations),
renewed at once and again after the commit whenever a fact the forecast reads changes: a right
written (`right_changed`), a certificate issued, renewed, expired or revoked
(`certificate_changed`), someone joining or leaving (`membership_changed`), and any save or delete
of a right, certificate, membership, rule, certification page (a new version), organisation (its
region) or product (its name). A new day is a new key; entries also expire after an hour, so the
figures are never older than that within a day."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from certifications.rights.forecast import LapseCount, vendor_forecast
from community import generations

GENERATION = "certifications:forecast:generation"
SECONDS = 60 * 60


def vendor_forecast_cached(*, vendor, now=None) -> list[LapseCount]:
    now = now or timezone.now()
    key = ":".join(
        (
            "certifications:forecast",
            generations.current(GENERATION),
            str(vendor.pk),
            now.date().isoformat(),
            translation.get_language() or "",
        )
    )
    figures = cache.get(key)
    if figures is None:
        figures = vendor_forecast(vendor=vendor, now=now)
        cache.set(key, figures, SECONDS)
    return figures


def changed(**kwargs) -> None:
    """A signal receiver: orphan every vendor's cached figures."""
    generations.renew(GENERATION)
    transaction.on_commit(lambda: generations.renew(GENERATION))
