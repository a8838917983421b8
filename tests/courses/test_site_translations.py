"""The site's own content in Chinese under /zh-hans/: the home page and the catalogue are
Wagtail translations of the English pages, the footer text is kept beside the English one, and a
page not translated yet is still served under the prefix, in English."""

import pytest
from wagtail.contrib.settings.views import get_setting_edit_handler
from wagtail.models import Site

from community.models import SiteSettings
from community.translation_forms import translation_field_name
from courses import services as course_services
from tests.factories import courses as course_factories

pytestmark = pytest.mark.django_db


def _chinese_site(home_page):
    home = course_factories.translation(page=home_page, title="合作伙伴学院", hero_title="学习。认证。交付。")
    catalogue = course_services.catalogue_ensure()
    course_factories.translation(page=catalogue, title="课程目录", intro="厂商亲自编写的产品培训。")
    return home


def test_the_chinese_home_and_catalogue_show_their_translations(client, home_page):
    _chinese_site(home_page)
    home = client.get("/zh-hans/").content.decode()
    assert "学习。认证。交付。" in home
    catalogue = client.get("/zh-hans/courses/")
    assert catalogue.status_code == 200
    assert "<h1>课程目录</h1>" in catalogue.content.decode()
    english = client.get("/courses/").content.decode()
    assert "课程目录" not in english
    assert "学习。认证。交付。" not in client.get("/").content.decode()


def test_a_page_not_translated_yet_answers_under_the_prefix_in_english(client, home_page):
    _chinese_site(home_page)
    course = course_factories.course(title="Only In English")
    response = client.get(f"/zh-hans{course.url}")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Only In English" in content
    assert 'lang="zh-hans"' in content


def test_the_footer_text_shows_in_the_visitors_language(client, home_page, django_capture_on_commit_callbacks):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_text = "Trained, certified, authorised."
    settings.translations = {"zh-hans": {"footer_text": "培训、认证、授权。"}}
    with django_capture_on_commit_callbacks(execute=True):  # the cached settings are renewed on commit
        settings.save()
    assert "培训、认证、授权。" in client.get("/zh-hans/").content.decode()
    english = client.get("/").content.decode()
    assert "Trained, certified, authorised." in english
    assert "培训、认证、授权。" not in english


def test_the_admin_form_keeps_translations_beside_the_original(home_page):
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    form_class = get_setting_edit_handler(SiteSettings).get_form_class()  # as the admin builds it
    field = translation_field_name("footer_text", "zh-hans")
    data = {
        "tagline": settings.tagline,
        "support_email": settings.support_email,
        "footer_text": "English text",
        field: "  中文页脚  ",
    }
    form = form_class(data=data, instance=settings)
    assert form.is_valid(), form.errors
    form.save()
    settings.refresh_from_db()
    assert settings.translations == {"zh-hans": {"footer_text": "中文页脚"}}
    assert settings.translated("footer_text", "zh-hans") == "中文页脚"
    assert settings.translated("footer_text", "en") == "English text"
    assert form_class(instance=settings).initial[field] == "中文页脚"
