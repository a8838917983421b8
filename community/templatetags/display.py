"""How every page writes a score and a machine-readable moment, so that one format holds site-wide.
Human-readable dates use the DATE_FORMAT and DATETIME_FORMAT of the active language
(`community/formats/`)."""

from datetime import UTC, datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def percent(value: Decimal | float | int | None) -> str:
    """A score or rate with at most one decimal, none when whole: 91.67 → "91.7%", 100.0 → "100%"
    (the decimal mark of the active language); empty for None."""
    if value is None or value == "":
        return ""
    return f"{floatformat(value, -1)}%"


@register.filter
def machine_datetime(value: datetime | None) -> str:
    """The moment for a `<time datetime>` attribute, in UTC to the second: HTML allows at most
    three digits of a second, and `isoformat()` writes six."""
    if not value:
        return ""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
