import pytest
from django.contrib.sites.models import Site
from django.core.management import call_command

from community.selectors import site_stats
from community.services import invitation_create, membership_end, site_sync_with_settings
from tests.factories.community import (
    MembershipFactory,
    OrganisationFactory,
    ProductFactory,
    UserFactory,
    VendorFactory,
)


@pytest.mark.django_db
def test_home_page_shows_vendors_and_their_products(client):
    product = ProductFactory(name="Nimbus Managed PostgreSQL", vendor=VendorFactory(name="Nimbus Cloud"))
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nimbus Cloud" in content
    assert product.name in content


@pytest.mark.django_db
def test_home_page_query_count_does_not_grow_with_vendors(client, count_queries):
    ProductFactory.create_batch(2)
    client.get("/")  # warm per-process caches (content types, site, settings)
    with count_queries() as few:
        client.get("/")
    ProductFactory.create_batch(30)
    with count_queries() as many:
        client.get("/")
    assert len(few) == len(many), many.sql()
    many.assert_at_most(10)


@pytest.mark.django_db
def test_unknown_page_renders_site_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"We couldn" in response.content


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    from community.models import Membership, PartnerOrganisation, Product, User, Vendor

    call_command("seed_demo")
    counts = [m.objects.count() for m in (User, Vendor, Product, PartnerOrganisation, Membership)]
    call_command("seed_demo")
    assert counts == [m.objects.count() for m in (User, Vendor, Product, PartnerOrganisation, Membership)]
    output = capsys.readouterr().out
    assert "anna.schmidt@northwind.example" in output
    assert User.objects.filter(full_name="王伟").exists()
    assert User.objects.filter(full_name="Алексей Смирнов").exists()
    assert PartnerOrganisation.objects.values("region").distinct().count() >= 4


@pytest.mark.django_db
def test_home_figures_count_each_thing_once():
    """Vendors without products, organisations without members and former members all count right
    although the figures are read through joins."""
    ProductFactory.create_batch(3, vendor=VendorFactory())
    VendorFactory()
    OrganisationFactory()
    staying = MembershipFactory.create_batch(4, organisation=OrganisationFactory())
    membership_end(membership=staying[-1])
    assert site_stats() == {"vendors": 2, "products": 3, "partners": 2, "engineers": 3}


@pytest.mark.django_db
def test_home_figures_are_kept_for_a_few_minutes(django_assert_num_queries):
    from django.core.cache import cache

    OrganisationFactory()
    assert site_stats()["partners"] == 1
    OrganisationFactory()
    with django_assert_num_queries(0):
        assert site_stats()["partners"] == 1
    cache.delete("community:site-stats")
    assert site_stats()["partners"] == 2


@pytest.mark.django_db
def test_home_page_title_names_the_site_once(client):
    assert "<title>Partner Academy</title>" in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_sites_framework_site_takes_the_sites_name_and_address(settings):
    settings.SITE_URL = "https://academy.example.com"
    Site.objects.filter(pk=settings.SITE_ID).update(name="example.com", domain="127.0.0.1:8000")
    site_sync_with_settings()
    assert Site.objects.values_list("name", "domain").get(pk=settings.SITE_ID) == (
        "Partner Academy",
        "academy.example.com",
    )


@pytest.mark.django_db
def test_a_signed_in_person_without_an_organisation_is_shown_the_next_steps(client):
    newcomer = UserFactory()
    client.force_login(newcomer)
    html = client.get("/").content.decode()
    assert 'id="next-steps-heading"' in html
    assert "Join by invitation" in html and "/organisation/new/" in html and 'href="/courses/"' in html
    harbour = OrganisationFactory(name="Harbour Networks")
    admin = MembershipFactory(organisation=harbour, role="admin").user
    invitation_create(organisation=harbour, email=newcomer.email, role="engineer", invited_by=admin)
    assert "Harbour Networks invited you" in client.get("/").content.decode()

    MembershipFactory(user=newcomer)
    assert 'id="next-steps-heading"' not in client.get("/").content.decode()
    client.logout()
    assert 'id="next-steps-heading"' not in client.get("/").content.decode()
