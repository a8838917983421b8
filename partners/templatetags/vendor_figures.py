"""How the vendor's figures show a waiting time: minutes, hours or days, whichever reads best."""

from datetime import timedelta

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def duration_short(value: timedelta) -> str:
    minutes = value.total_seconds() / 60
    if minutes < 60:
        return _("%(n)s min") % {"n": number_format(round(minutes))}
    if minutes < 48 * 60:
        return _("%(n)s h") % {"n": number_format(minutes / 60, 1)}
    return _("%(n)s days") % {"n": number_format(minutes / 60 / 24, 1)}
