"""The forum index's category cards come from the cache; whatever they show must still be current
on the next request, and a visitor never sees cards cached for someone who may see more."""

import datetime

import pytest
from django.utils import timezone

from forums import services, views
from forums.models import Category
from tests.factories.forums import CategoryFactory
from tests.forums.test_views import _client

INDEX = "/forums/"


@pytest.fixture
def renders(monkeypatch):
    """The category templates rendered so far."""
    rendered = []

    def render_to_string(template_name, context=None, request=None):
        rendered.append(template_name)
        return original(template_name, context, request)

    original = views.render_to_string
    monkeypatch.setattr(views, "render_to_string", render_to_string)
    return rendered


def _cards(html: str) -> str:
    return html[html.index('id="categories-heading"') : html.index('id="recent-heading"')]


def test_a_repeat_visit_reuses_the_rendered_cards(category, renders):
    first = _client().get(INDEX).content.decode()
    second = _client().get(INDEX).content.decode()
    assert _cards(second) == _cards(first) and category.name in _cards(second)
    assert renders == ["forums/includes/category_list.html"]


def test_a_new_topic_and_a_renamed_category_show_at_once(category, asker, renders):
    _client().get(INDEX)
    services.topic_create(author=asker, category=category, kind="discussion", title="New here", body="Hello")
    assert "1 topic" in _cards(_client().get(INDEX).content.decode())
    Category.objects.filter(pk=category.pk).update(name="Renamed <b>category</b>")
    cards = _cards(_client().get(INDEX).content.decode())
    assert "Renamed &lt;b&gt;category&lt;/b&gt;" in cards
    assert len(renders) == 3


def test_partners_only_cards_are_never_served_to_the_signed_out(asker):
    CategoryFactory(name="Open talk")
    CategoryFactory(name="Partner lounge", visibility=Category.Visibility.PARTNERS)
    assert "Partner lounge" in _cards(_client(asker).get(INDEX).content.decode())
    cards = _cards(_client().get(INDEX).content.decode())
    assert "Open talk" in cards and "Partner lounge" not in cards


def test_each_language_and_minute_has_its_own_cards(category, renders, monkeypatch):
    _client().get(INDEX)
    assert "个主题" in _cards(_client().get(INDEX, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True).content.decode())
    later = timezone.now() + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _client().get(INDEX)
    assert len(renders) == 3
