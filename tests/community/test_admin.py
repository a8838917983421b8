"""The Wagtail admin with our user model, and vendor staff scoped to their own vendor's products."""

import pytest
from django.urls import reverse

from community import services
from community.models import Product, User
from tests.factories.community import PASSWORD, ProductFactory, UserFactory, VendorFactory


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.com", password=PASSWORD, full_name="Root Admin")


@pytest.mark.django_db
def test_superuser_creates_a_user_with_full_and_printed_name(client, superuser):
    client.force_login(superuser)
    page = client.get(reverse("wagtailusers_users:add"))
    assert page.status_code == 200
    assert b'name="full_name"' in page.content and b'name="certificate_name"' in page.content
    assert b'name="first_name"' not in page.content
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "email": "王伟@example.com".replace("王伟", "wang.wei"),
            "full_name": "王伟",
            "certificate_name": "WANG Wei",
            "password1": "a-long-admin-password-1",
            "password2": "a-long-admin-password-1",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(email="wang.wei@example.com")
    assert (created.full_name, created.printed_name) == ("王伟", "WANG Wei")
    assert created.check_password("a-long-admin-password-1")


@pytest.mark.django_db
def test_superuser_edits_a_users_names(client, superuser):
    person = UserFactory(full_name="Old Name")
    client.force_login(superuser)
    url = reverse("wagtailusers_users:edit", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"Old Name" in page.content
    response = client.post(
        url,
        {"email": person.email, "full_name": "Новое Имя", "certificate_name": "Novoe Imya", "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert (person.full_name, person.certificate_name) == ("Новое Имя", "Novoe Imya")
    assert person.check_password(PASSWORD)  # untouched when the password fields are left empty


@pytest.fixture
def vendor_staff(db):
    own, other = VendorFactory(name="Own Vendor"), VendorFactory(name="Other Vendor")
    staff = UserFactory()
    services.vendor_staff_add(vendor=own, user=staff)
    return staff, own, other


@pytest.mark.django_db
def test_vendor_staff_see_only_their_own_vendors_products(client, vendor_staff):
    staff, own, other = vendor_staff
    ProductFactory(vendor=own, name="Own Product")
    ProductFactory(vendor=other, name="Foreign Product")
    client.force_login(staff)
    listing = client.get(reverse("wagtailsnippets_community_product:list"))
    assert listing.status_code == 200
    assert b"Own Product" in listing.content
    assert b"Foreign Product" not in listing.content


@pytest.mark.django_db
def test_vendor_staff_cannot_open_another_vendors_product(client, vendor_staff):
    staff, _own, other = vendor_staff
    foreign = ProductFactory(vendor=other, name="Foreign Product")
    client.force_login(staff)
    response = client.get(reverse("wagtailsnippets_community_product:edit", args=[foreign.pk]))
    assert response.status_code == 404
    response = client.post(reverse("wagtailsnippets_community_product:delete", args=[foreign.pk]))
    assert response.status_code == 404
    assert Product.objects.filter(pk=foreign.pk).exists()


@pytest.mark.django_db
def test_vendor_staff_create_products_only_for_their_own_vendor(client, vendor_staff):
    staff, own, other = vendor_staff
    client.force_login(staff)
    url = reverse("wagtailsnippets_community_product:add")
    page = client.get(url).content.decode()
    assert f'value="{own.pk}"' in page
    assert f'value="{other.pk}"' not in page

    refused = client.post(url, {"vendor": other.pk, "name": "Sneaky", "slug": "sneaky", "category": "cloud"})
    assert refused.status_code == 200
    assert not Product.objects.filter(slug="sneaky").exists()

    client.post(url, {"vendor": own.pk, "name": "Fine", "slug": "fine", "category": "cloud"})
    assert Product.objects.get(slug="fine").vendor == own


@pytest.mark.django_db
def test_superuser_may_file_products_under_any_vendor(client, superuser):
    vendor = VendorFactory()
    client.force_login(superuser)
    client.post(
        reverse("wagtailsnippets_community_product:add"),
        {"vendor": vendor.pk, "name": "Any", "slug": "any", "category": "cloud"},
    )
    assert Product.objects.get(slug="any").vendor == vendor
