"""Validity and renewal on the holder's own calendar: the date a certificate prints, how long it
runs, and when renewing it opens (its expiry less the certification's `renewal_window_days`).
Issuing, the reminder e-mails, the certificate pages and the exam start all ask this module."""

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Max, Q
from django.utils import timezone

from certifications.models import Certificate, Exam
from community.models import User


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; the 31st becomes the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def holder_local_date(moment: datetime, time_zone: str) -> date:
    """The date the holder saw on their own calendar at `moment`: what the certificate prints."""
    try:
        return moment.astimezone(zoneinfo.ZoneInfo(time_zone)).date()
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.localdate(moment)


def renewal_opens(*, expires_on: date, window_days: int) -> date:
    """The first day a certificate expiring on `expires_on` may be renewed."""
    return expires_on - timedelta(days=window_days)


def renewable_on_q(day: date, *, window_days: int) -> Q:
    """Certificates whose renewal window contains `day`: not expired by then, and renewal open
    (`renewal_opens` on or before `day`)."""
    return Q(expires_on__gte=day, expires_on__lte=day + timedelta(days=window_days))


@dataclass(frozen=True)
class Renewal:
    """When renewing a certificate opens: `opens_on` (the expiry less the renewal window)."""

    opens_on: date
    is_open: bool


def certificate_renewal(certificate: Certificate, *, today: date) -> Renewal:
    opens_on = renewal_opens(
        expires_on=certificate.expires_on, window_days=certificate.certification.renewal_window_days
    )
    return Renewal(opens_on=opens_on, is_open=opens_on <= today)


def renewal_opens_on(*, exam: Exam, user: User, now: datetime) -> date | None:
    """The day renewal opens when `user` holds a valid certificate of the exam's certification
    and it is not open yet, else None. Dates are the holder's own calendar, as on the certificate,
    and the window is the one issuing renews within."""
    today = holder_local_date(now, user.time_zone)
    latest = (
        Certificate.objects.valid_on(today)
        .filter(holder=user, certification_id=exam.certification_id)
        .aggregate(latest=Max("expires_on"))["latest"]
    )
    if latest is None:
        return None
    opens_on = renewal_opens(expires_on=latest, window_days=exam.certification.renewal_window_days)
    return opens_on if opens_on > today else None
