"""How every page writes a score and a machine-readable moment, so that one format holds site-wide.
Human-readable dates use the DATE_FORMAT and DATETIME_FORMAT of the active language
(`community/formats/`)."""

from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from django import template
from django.db.models import Model
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language

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


@register.filter
def choice_label(instance: Model, field_name: str) -> str:
    """What `instance.get_<field>_display()` shows, without its cost: Django hashes every (lazy)
    label of the field's choices on each call, which on a list of a hundred rows is a good part
    of the page's time. The labels are read once per model, field and language."""
    value = getattr(instance, field_name)
    return _choice_labels(type(instance), field_name, get_language()).get(value, value)


@cache
def _choice_labels(model: type[Model], field_name: str, language: str | None) -> dict:
    return {value: str(label) for value, label in model._meta.get_field(field_name).flatchoices}
