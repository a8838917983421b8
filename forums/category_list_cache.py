"""The forum index's category cards, cached.

Rendering thirty cards (links, counts in the visitor's language, "active 3 hours ago") is most of
the index's cost, and every visitor who may see the same categories sees the same cards. The key
is a digest of everything the cards show, read by the query the page makes anyway, so a new post,
a renamed category or a visibility change makes a new key without any bookkeeping; with it go the
language, the time zone and the current minute, the finest step "active … ago" shows."""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from forums.models import Category

FRAGMENT_SECONDS = 2 * 60


def _category_facts(category: Category) -> tuple:
    product = category.product
    return (
        category.pk,
        category.slug,
        category.translated("name"),
        category.translated("description"),
        category.visibility,
        category.topic_count,
        category.post_count,
        category.last_activity_at,
        (product.name, product.vendor.name) if product else None,
    )


def fragment_key(categories: list[Category]) -> str:
    context = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.now().replace(second=0, microsecond=0).isoformat(),
    )
    facts = repr(([_category_facts(c) for c in categories], context))
    return f"forums:category-list:{hashlib.blake2b(facts.encode(), digest_size=16).hexdigest()}"


def get_or_render(categories: list[Category], render: Callable[[], str]) -> SafeString:
    """The cards for `categories` from the cache, else `render()`, stored. Only our own template
    renders them, escaping user text as everywhere else."""
    key = fragment_key(categories)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)
