"""`templates/includes/select_field.html` writes a form's select out in one template. Django's
own widget renders every option through a template of its own, which on a filter list of forty
products costs more than the rest of the page."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def option_groups(field: BoundField) -> list[tuple[str, list[tuple[str, str]]]]:
    """The field's choices as (group label, options) pairs; options outside a group come under
    an empty label."""
    groups: list[tuple[str, list]] = []
    for value, label in field.field.choices:
        if isinstance(label, list | tuple):
            groups.append((value, [(str(option), text) for option, text in label]))
        elif groups and groups[-1][0] == "":
            groups[-1][1].append((str(value), label))
        else:
            groups.append(("", [(str(value), label)]))
    return groups
