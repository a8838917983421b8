from django import template

register = template.Library()


@register.filter
def translated(record, field: str) -> str:
    """`{{ category|translated:"name" }}`: a `TranslatedTextMixin` field in the active language."""
    return record.translated(field)
