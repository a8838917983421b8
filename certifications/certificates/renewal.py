"""Renewal: when a certificate holder may renew, on the holder's own calendar."""

import zoneinfo
from datetime import date, datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from certifications.models import Certificate, Exam
from community.models import User


def renewal_opens_on(*, exam: Exam, user: User, now: datetime) -> date | None:
    """The day renewal opens when `user` holds a valid certificate of the exam's certification
    and it is not open yet, else None. Dates are the holder's own calendar, as on the certificate,
    and the window matches issuing's: a pass renews from `expires_on - renewal_window_days` on."""
    try:
        today = now.astimezone(zoneinfo.ZoneInfo(user.time_zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        today = timezone.localdate(now)
    latest = Certificate.objects.filter(
        holder=user, certification_id=exam.certification_id, status=Certificate.Status.VALID, expires_on__gt=today
    ).aggregate(latest=Max("expires_on"))["latest"]
    if latest is None:
        return None
    opens_on = latest - timedelta(days=exam.certification.renewal_window_days)
    return opens_on if opens_on > today else None
