"""Links to the site's fixed pages in the language being shown: English unprefixed, any other
language under its prefix, as `community.urls` serves them."""

from django import template
from django.conf import settings
from django.utils import translation

register = template.Library()


@register.simple_tag
def localised(path: str) -> str:
    """`path` (such as "/courses/") under the active language's prefix."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@register.filter
def unlocalised(path: str) -> str:
    """`path` without its language prefix, to tell which section a page belongs to."""
    language = translation.get_language_from_path(path)
    return path.removeprefix(f"/{language}") if language else path
