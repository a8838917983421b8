"""Delivery-right rules in the Wagtail admin: scoped to the vendors the person manages, saved through the
service (audited, rights recomputed), history shown, never deleted."""

import pytest
from django.urls import reverse
from wagtail.permissions import policy_registry

from certifications.models import DeliveryRightRule, DeliveryRightRuleChange, OrganisationDeliveryRight
from community import services as community_services
from tests.certifications.rights.test_rights import engineer_with, make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import ProductFactory, UserFactory, VendorFactory
from tests.policies import BOTH, WRITE, assert_policy, people_for_policies

pytestmark = pytest.mark.django_db

ADD = reverse("wagtailsnippets_certifications_deliveryrightrule:add")
LIST = reverse("wagtailsnippets_certifications_deliveryrightrule:list")


def edit_url(rule):
    return reverse("wagtailsnippets_certifications_deliveryrightrule:edit", args=[rule.pk])


@pytest.fixture
def vendors():
    own, other = VendorFactory(name="Own Vendor"), VendorFactory(name="Other Vendor")
    staff = UserFactory(full_name="Vera Vendor")
    community_services.vendor_staff_add(vendor=own, user=staff, manager=True)
    return staff, own, other


def form_data(*, product=None, certifications=(), min_engineers=1, grace_days=30, cap=""):
    data = {"min_engineers": min_engineers, "grace_days": grace_days, "max_products_per_engineer": cap}
    if product is not None:
        data["product"] = product.pk
    data["certifications"] = [c.pk for c in certifications]
    return data


def test_staff_list_and_open_only_their_own_vendors_rules(client, vendors):
    staff, own, other = vendors
    mine = make_rule(product=ProductFactory(vendor=own, name="Own Product"))
    foreign = make_rule(product=ProductFactory(vendor=other, name="Foreign Product"))
    client.force_login(staff)
    listing = client.get(LIST).content.decode()
    assert "Own Product" in listing and "Foreign Product" not in listing
    assert client.get(edit_url(mine)).status_code == 200
    assert client.get(edit_url(foreign)).status_code == 404
    assert client.post(edit_url(foreign), form_data(certifications=[])).status_code == 404


def test_new_rule_offers_only_own_products_and_certifications(client, vendors):
    staff, own, other = vendors
    own_product = ProductFactory(vendor=own)
    foreign_product = ProductFactory(vendor=other)
    own_cert = cert_factories.certification(vendor=own, title="Own Cert")
    foreign_cert = cert_factories.certification(vendor=other, title="Foreign Cert")
    client.force_login(staff)
    page = client.get(ADD).content.decode()
    assert f'value="{own_product.pk}"' in page and f'value="{foreign_product.pk}"' not in page
    assert "Own Cert" in page and "Foreign Cert" not in page

    refused = client.post(ADD, form_data(product=foreign_product, certifications=[own_cert]))
    assert refused.status_code == 200 and not DeliveryRightRule.objects.exists()
    refused = client.post(ADD, form_data(product=own_product, certifications=[foreign_cert]))
    assert refused.status_code == 200 and not DeliveryRightRule.objects.exists()


def test_certifications_must_be_the_products_vendors(client, vendors, superuser):
    _staff, own, other = vendors
    product = ProductFactory(vendor=own, name="Edge")
    foreign_cert = cert_factories.certification(vendor=other, title="Foreign Cert")
    client.force_login(superuser)
    response = client.post(ADD, form_data(product=product, certifications=[foreign_cert]))
    assert response.status_code == 200
    assert "Only Own Vendor certifications can count for Edge: Foreign Cert." in response.content.decode()
    assert not DeliveryRightRule.objects.exists()


def test_creating_and_editing_a_rule_is_audited_recomputes_and_shows_history(
    client, vendors, organisation, django_capture_on_commit_callbacks
):
    staff, own, _other = vendors
    product = ProductFactory(vendor=own)
    certification = cert_factories.certification(vendor=own, title="Edge Associate")
    engineer_with(organisation, certification)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, form_data(product=product, certifications=[certification], cap=2))
    assert response.status_code == 302
    rule = DeliveryRightRule.objects.get()
    assert (rule.min_engineers, rule.max_products_per_engineer) == (1, 2)
    assert OrganisationDeliveryRight.objects.get(organisation=organisation, product=product).status == "active"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url(rule), form_data(certifications=[certification], min_engineers=2))
    assert response.status_code == 302
    changes = list(DeliveryRightRuleChange.objects.order_by("changed_at", "pk"))
    assert [c.changed_by for c in changes] == [staff, staff]
    assert changes[1].before["min_engineers"] == 1 and changes[1].after["min_engineers"] == 2
    assert OrganisationDeliveryRight.objects.get(organisation=organisation, product=product).status == "grace"
    rule.refresh_from_db()
    assert rule.product == product  # the product of a rule is fixed

    page = client.get(edit_url(rule)).content.decode()
    assert "Change history" in page and "Vera Vendor" in page and "Rule created" in page
    assert "Certifications that count: <strong>Edge Associate</strong>" in page
    assert "Engineers needed: <del>1</del> → <strong>2</strong>" in page


def test_nobody_deletes_a_rule(client, superuser):
    rule = make_rule()
    client.force_login(superuser)
    url = reverse("wagtailsnippets_certifications_deliveryrightrule:delete", args=[rule.pk])
    client.post(url)
    assert DeliveryRightRule.objects.filter(pk=rule.pk).exists()


def test_rule_policy_is_for_the_products_vendors_managers_and_never_deletes():
    vendors = {"own": VendorFactory(name="Own Vendor"), "other": VendorFactory(name="Other Vendor")}
    people = people_for_policies(vendor=vendors["own"], other_vendor=vendors["other"])
    rules = {key: make_rule(product=ProductFactory(vendor=vendor)) for key, vendor in vendors.items()}
    expected = {"superuser": (WRITE, BOTH), "manager": (WRITE, {"own"}), "other vendor's manager": (WRITE, {"other"})}
    assert_policy(policy_registry.get_by_type(DeliveryRightRule), people, rules, expected)


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)
