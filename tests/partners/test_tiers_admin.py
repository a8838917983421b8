"""Partner tiers in the admin: a vendor's staff keep its tiers, for their own vendors only; every
change is audited; a threshold that makes a better tier easier to reach is refused on its field."""

import pytest
from django.test import Client
from django.urls import reverse

from partners import tiers
from partners.models import PartnerTier, PartnerTierChange
from tests.factories.community import VendorFactory
from tests.factories.roles import people_in_every_role

pytestmark = pytest.mark.django_db

LIST = reverse("wagtailsnippets_partners_partnertier:list")
ADD = reverse("wagtailsnippets_partners_partnertier:add")


@pytest.fixture
def vendor():
    return VendorFactory(name="Northwind")


@pytest.fixture
def other_vendor():
    return VendorFactory(name="Contoso")


@pytest.fixture
def people(vendor, other_vendor):
    return people_in_every_role(vendor=vendor, other_vendor=other_vendor)


def tier(vendor, name, rank, **fields):
    return tiers.partner_tier_save(
        tier=PartnerTier(vendor=vendor, name=name, slug=name.lower(), rank=rank, **fields), changed_by=None
    )


def client_for(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def form_data(vendor, name="Silver", rank=2, **changes):
    data = {
        "vendor": vendor.pk,
        "name": name,
        "slug": name.lower(),
        "rank": rank,
        "min_products": 1,
        "min_certified": 2,
        "min_satisfaction": "",
        "min_delivered": 0,
        "grace_days": 60,
    }
    data.update(changes)
    return data


def test_each_role_reaches_only_its_own_vendors_tiers(people, vendor, other_vendor):
    mine, theirs = tier(vendor, "Registered", 1), tier(other_vendor, "Bronze", 1)
    edit = reverse("wagtailsnippets_partners_partnertier:edit", args=[mine.pk])
    seen = {}
    for role, person in people.items():
        client = client_for(person)
        listing = client.get(LIST)
        body = listing.content.decode() if listing.status_code == 200 else ""
        seen[role] = (listing.status_code, "Registered" in body, "Bronze" in body, client.get(edit).status_code)
    denied = (302, False, False, 302)
    assert seen == {
        "anonymous": denied,
        "engineer": denied,
        "partner_admin": denied,
        "vendor_author": (200, True, False, 200),
        "programme_manager": (200, True, False, 200),
        "other_programme_manager": (200, False, True, 404),
        "moderator": (302, False, False, 404),
        "superuser": (200, True, True, 200),
    }
    assert theirs.pk


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "engineer",
        "partner_admin",
        "vendor_author",
        "programme_manager",
        "other_programme_manager",
        "moderator",
        "superuser",
    ],
)
def test_only_the_vendors_staff_add_its_tiers(people, vendor, role):
    response = client_for(people[role]).post(ADD, form_data(vendor))
    added = PartnerTier.objects.filter(vendor=vendor, slug="silver").exists()
    assert added == (role in {"vendor_author", "programme_manager", "superuser"})
    assert response.status_code < 500


def test_a_staff_member_adds_and_changes_a_tier_and_it_is_audited(people, vendor, other_vendor):
    tier(vendor, "Registered", 1)
    author = people["vendor_author"]
    client = client_for(author)
    form = client.get(ADD).content.decode()
    assert "Northwind" in form and "Contoso" not in form
    response = client.post(ADD, form_data(vendor))
    assert response.status_code == 302, response.content.decode()[:3000]
    silver = PartnerTier.objects.get(slug="silver")
    edit = reverse("wagtailsnippets_partners_partnertier:edit", args=[silver.pk])
    response = client.post(edit, form_data(other_vendor, min_certified=3))
    assert response.status_code == 302
    silver.refresh_from_db()
    assert silver.min_certified == 3 and silver.vendor == vendor  # the vendor is fixed once saved
    changes = list(PartnerTierChange.objects.filter(tier=silver).order_by("changed_at", "pk"))
    assert [c.changed_by for c in changes] == [author, author]
    assert (changes[1].before["min_certified"], changes[1].after["min_certified"]) == (2, 3)
    page = client.get(edit).content.decode()
    assert "Change history" in page and "<del>2</del>" in page


def test_a_staff_member_cannot_file_a_tier_under_another_vendor(people, other_vendor):
    response = client_for(people["vendor_author"]).post(ADD, form_data(other_vendor))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not PartnerTier.objects.exists()


def test_a_better_tier_easier_to_reach_is_refused_on_its_field(people, vendor):
    tier(vendor, "Silver", 2, min_certified=4)
    client = client_for(people["vendor_author"])
    response = client.post(ADD, form_data(vendor, name="Gold", rank=3, min_certified=2))
    assert response.status_code == 200
    assert "“Gold” (rank 3) would be easier to reach than “Silver” (rank 2)" in response.content.decode()
    assert not PartnerTier.objects.filter(slug="gold").exists()


def test_a_rank_or_slug_taken_and_bad_numbers_get_clear_errors(people, vendor):
    tier(vendor, "Silver", 2)
    client = client_for(people["vendor_author"])
    response = client.post(ADD, form_data(vendor, name="Other", rank=2, min_satisfaction="7", min_products=0))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 5." in html
    assert "Ensure this value is greater than or equal to 1." in html
    response = client.post(ADD, form_data(vendor, name="<b>Silver</b>", rank=3, slug="silver"))
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert PartnerTier.objects.count() == 1


def test_the_tier_list_runs_a_constant_number_of_queries(people, vendor, count_queries):
    client = client_for(people["vendor_author"])
    tier(vendor, "Registered", 1)
    client.get(LIST)
    with count_queries() as few:
        client.get(LIST)
    for rank in range(2, 7):
        tier(vendor, f"Tier {rank}", rank)
    with count_queries() as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few), many.sql()
