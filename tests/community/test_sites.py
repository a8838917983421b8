"""The request's Wagtail Site comes from the cache, and any change to a Site or a page move is
seen by the next request."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from community.sites import site_for_request


def _request(host="localhost"):
    return RequestFactory().get("/", HTTP_HOST=host)


@pytest.mark.django_db
def test_the_site_is_read_once_then_served_from_the_cache(home_page, count_queries):
    with count_queries() as first:
        site = site_for_request(request=_request())
    with count_queries() as second:
        again = site_for_request(request=_request())
    assert len(first) >= 1
    assert len(second) == 0
    assert site is not None and again.pk == site.pk


@pytest.mark.django_db
def test_saving_a_site_is_seen_by_the_next_request(home_page, django_capture_on_commit_callbacks):
    site_for_request(request=_request())
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed academy"
    with django_capture_on_commit_callbacks(execute=True):
        site.save()
    assert site_for_request(request=_request()).site_name == "Renamed academy"


@pytest.mark.django_db
def test_a_new_site_for_a_host_is_seen_by_the_next_request(home_page, settings, django_capture_on_commit_callbacks):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "partners.example"]
    assert site_for_request(request=_request("partners.example")).is_default_site
    other_root = Page.get_first_root_node().add_child(instance=Page(title="Partners", slug="partners"))
    with django_capture_on_commit_callbacks(execute=True):
        Site.objects.create(hostname="partners.example", port=80, root_page=other_root)
    assert site_for_request(request=_request("partners.example")).root_page_id == other_root.pk


@pytest.mark.django_db
def test_pages_are_served_without_asking_the_database_for_the_site(client, home_page, count_queries):
    client.get("/")
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    assert "wagtailcore_site" not in queries.sql(), queries.sql()


@pytest.mark.django_db
def test_site_settings_are_read_once_and_a_change_is_seen_by_the_next_request(
    client, home_page, count_queries, django_capture_on_commit_callbacks
):
    from community.models import SiteSettings

    client.get("/")
    with count_queries() as queries:
        client.get("/")
    assert "community_sitesettings" not in queries.sql(), queries.sql()
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.footer_text = "Trained, certified, authorised."
    with django_capture_on_commit_callbacks(execute=True):
        settings.save()
    assert "Trained, certified, authorised." in client.get("/").content.decode()
