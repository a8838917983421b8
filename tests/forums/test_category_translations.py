"""Forum categories keep their Chinese name and description beside the English ones: one
category (with all its topics) in every language."""

import pytest

from tests.factories.forums import CategoryFactory

pytestmark = pytest.mark.django_db


def test_category_names_show_in_the_visitors_language(client):
    category = CategoryFactory(
        name="General discussion",
        description="Anything goes.",
        translations={"zh-hans": {"name": "综合讨论", "description": "什么都可以聊。"}},
    )
    untranslated = CategoryFactory(name="Nimbus Kubernetes Engine")
    chinese = client.get("/zh-hans/forums/").content.decode()
    assert "综合讨论" in chinese and "什么都可以聊。" in chinese
    assert "Nimbus Kubernetes Engine" in chinese  # no translation: the original
    english = client.get("/forums/").content.decode()
    assert "General discussion" in english and "综合讨论" not in english
    page = client.get(f"/zh-hans{category.get_absolute_url()}")
    assert "<h1>综合讨论</h1>" in page.content.decode()
    assert untranslated.translated("name", "zh-hans") == "Nimbus Kubernetes Engine"
