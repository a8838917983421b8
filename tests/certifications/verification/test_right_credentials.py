"""Delivery rights as credentials: each holding period is one credential that the rights engine
opens, suspends while in grace, and revokes when the right lapses, in the engine's own
transaction; `/api/v1/delivery-rights/credentials/<id>` serves it signed, and the two rights
status lists show its bits."""

import base64
import copy
from dataclasses import dataclass
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from certifications.models import Certificate, DeliveryRightCredential, DeliveryRightEvent, OrganisationDeliveryRight
from certifications.verification.credentials import credential_verify
from certifications.verification.keys import platform_signing_key
from certifications.verification.right_credentials import (
    RIGHTS_REVOCATION,
    RIGHTS_SUSPENSION,
    right_credential_sync,
    rights_status_list_credential,
)
from certifications.verification.status_list import StatusList, credential_revoked, status_list_url
from tests.certifications.rights.test_rights import engineer_with, give_right, make_rule, recompute, right_of
from tests.factories.community import OrganisationFactory, ProductFactory, VendorFactory

pytestmark = pytest.mark.django_db

Cause = DeliveryRightEvent.Cause
SEED = bytes(range(32))


@pytest.fixture(autouse=True)
def signing_key(settings):
    settings.CREDENTIAL_SIGNING_KEY = base64.b64encode(SEED).decode()
    platform_signing_key.cache_clear()
    yield platform_signing_key()
    platform_signing_key.cache_clear()


@dataclass
class World:
    organisation: object
    product: object
    certification: object
    t0: object


def world(name="Acme & Söhne <Networks>", website="https://acme.example") -> World:
    """A product whose rule needs one engineer, with 30 days' grace, and a partner in Europe."""
    vendor = VendorFactory(name="Northwind Networks", website="https://northwind.example")
    product = ProductFactory(vendor=vendor, name="Northwind SD-WAN", slug="northwind-sd-wan")
    rule = make_rule(product=product, min_engineers=1, grace_days=30)
    organisation = OrganisationFactory(name=name, slug="acme", region="eu", website=website)
    return World(organisation, product, rule.certifications.get(), timezone.now() - timedelta(days=60))


def activate(w: World, *, at):
    """Give the partner a newly certified engineer and recompute at `at`."""
    _engineer, (certificate,) = engineer_with(w.organisation, w.certification)
    recompute(w.organisation, now=at)
    return certificate


def revoke(certificate, *, at, organisation):
    certificate.status, certificate.revoked_at = Certificate.Status.REVOKED, at
    certificate.save(update_fields=["status", "revoked_at"])
    recompute(organisation, Cause.CERTIFICATE_REVOKED, now=at)


def credentials_of(w: World) -> list[DeliveryRightCredential]:
    return list(DeliveryRightCredential.objects.filter(right__organisation=w.organisation).order_by("pk"))


def bits(name: str) -> list[int]:
    document = rights_status_list_credential(name=name)
    return StatusList.decode(document["credentialSubject"]["encodedList"]).set_indices()


def test_a_right_becoming_active_opens_a_credential_with_the_facts_of_that_moment():
    w = world()
    activate(w, at=w.t0)

    (credential,) = credentials_of(w)
    assert credential.right == right_of(w.organisation, w.product)
    assert (credential.issued_at, credential.suspended_at, credential.revoked_at) == (w.t0, None, None)
    assert (credential.organisation_name, credential.organisation_website) == (
        "Acme & Söhne <Networks>",
        "https://acme.example",
    )
    assert (credential.product_name, credential.vendor_name, credential.region_name) == (
        "Northwind SD-WAN",
        "Northwind Networks",
        "Europe",
    )


def test_grace_suspends_the_credential_and_renewal_lifts_the_suspension():
    w = world()
    first = activate(w, at=w.t0)
    revoke(first, at=w.t0 + timedelta(days=1), organisation=w.organisation)
    (credential,) = credentials_of(w)
    assert right_of(w.organisation, w.product).status == "grace"
    assert credential.suspended_at == w.t0 + timedelta(days=1) and credential.revoked_at is None
    assert bits(RIGHTS_SUSPENSION) == [credential.pk] and bits(RIGHTS_REVOCATION) == []

    activate(w, at=w.t0 + timedelta(days=2))

    assert credentials_of(w) == [credential]
    credential.refresh_from_db()
    assert credential.suspended_at is None and credential.revoked_at is None
    assert bits(RIGHTS_SUSPENSION) == [] and bits(RIGHTS_REVOCATION) == []


def test_a_lapse_revokes_for_good_and_holding_again_is_a_new_credential():
    w = world()
    first = activate(w, at=w.t0)
    revoke(first, at=w.t0 + timedelta(days=1), organisation=w.organisation)
    recompute(w.organisation, Cause.GRACE_ENDED, now=w.t0 + timedelta(days=32))
    assert right_of(w.organisation, w.product).status == "lapsed"
    (lapsed,) = credentials_of(w)
    assert (lapsed.revoked_at, lapsed.suspended_at) == (w.t0 + timedelta(days=32), None)
    assert bits(RIGHTS_REVOCATION) == [lapsed.pk] and bits(RIGHTS_SUSPENSION) == []

    activate(w, at=w.t0 + timedelta(days=40))

    old, new = credentials_of(w)
    assert old == lapsed and old.revoked_at == w.t0 + timedelta(days=32)
    assert (new.issued_at, new.revoked_at) == (w.t0 + timedelta(days=40), None)
    assert new.public_id != old.public_id
    assert bits(RIGHTS_REVOCATION) == [old.pk]


def test_a_right_without_grace_is_revoked_in_the_transition_that_lapses_it():
    w = world()
    w.certification.delivery_rules.update(grace_days=0)
    first = activate(w, at=w.t0)

    revoke(first, at=w.t0 + timedelta(days=1), organisation=w.organisation)

    (credential,) = credentials_of(w)
    assert credential.revoked_at == w.t0 + timedelta(days=1) and credential.suspended_at is None


def test_the_credential_rolls_back_with_the_transition_that_wrote_it():
    w = world()
    engineer_with(w.organisation, w.certification)
    with (
        mock.patch(
            "certifications.rights.services.DeliveryRightEvent.objects.create", side_effect=RuntimeError("disk full")
        ),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        recompute(w.organisation, now=w.t0)

    assert not OrganisationDeliveryRight.objects.exists()
    assert not DeliveryRightCredential.objects.exists()


def test_a_right_held_before_credentials_existed_gets_one_for_its_current_period():
    w = world()
    activate(w, at=w.t0)
    DeliveryRightCredential.objects.all().delete()
    right = right_of(w.organisation, w.product)

    credential = right_credential_sync(right=right, now=timezone.now())

    assert credential.issued_at == right.active_since == w.t0
    assert right_credential_sync(right=right, now=timezone.now()) == credential


def test_a_count_that_changes_without_a_transition_costs_one_query(count_queries):
    w = world()
    activate(w, at=w.t0)
    right = right_of(w.organisation, w.product)

    with count_queries() as queries:
        right_credential_sync(right=right, now=timezone.now())

    assert len(queries) == 1


def served(client, credential: DeliveryRightCredential) -> dict:
    response = client.get(f"/api/v1/delivery-rights/credentials/{credential.public_id}")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_the_credential_is_served_signed_at_its_own_id_and_names_the_organisation(client, signing_key):
    w = world()
    activate(w, at=w.t0)
    (credential,) = credentials_of(w)

    document = served(client, credential)

    assert document["id"].endswith(f"/api/v1/delivery-rights/credentials/{credential.public_id}")
    assert document["type"] == ["VerifiableCredential", "AchievementCredential"]
    subject = document["credentialSubject"]
    assert subject["id"].endswith("/partners/acme/")
    assert (subject["name"], subject["url"]) == ("Acme & Söhne <Networks>", "https://acme.example")
    assert "AchievementSubject" in subject["type"] and "Profile" in subject["type"]
    assert subject["achievement"]["name"] == "Authorised to deliver Northwind SD-WAN in Europe"
    assert subject["achievement"]["creator"]["name"] == "Northwind Networks"
    assert document["credentialStatus"]["statusListCredential"] == status_list_url(name=RIGHTS_REVOCATION)
    assert document["credentialStatus"]["statusListIndex"] == str(credential.pk)
    assert credential_verify(document, signing_key.public_key())
    assert served(client, credential) == document


def test_a_partner_without_a_website_is_named_without_a_url(client):
    w = world(website="")
    activate(w, at=w.t0)

    document = served(client, credentials_of(w)[0])

    assert "url" not in document["credentialSubject"]


def test_any_change_to_the_served_credential_breaks_its_signature(client, signing_key):
    w = world()
    activate(w, at=w.t0)
    document = served(client, credentials_of(w)[0])

    for path in (
        ("credentialSubject", "name"),
        ("credentialSubject", "achievement", "name"),
        ("credentialStatus", "statusListIndex"),
        ("validFrom",),
        ("issuer", "name"),
    ):
        altered = copy.deepcopy(document)
        target = altered
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = f"{target[path[-1]]}x"
        assert not credential_verify(altered, signing_key.public_key()), path


def test_a_lapsed_rights_credential_is_still_served_and_its_list_says_revoked(client, signing_key):
    w = world()
    first = activate(w, at=w.t0)
    (credential,) = credentials_of(w)
    before = served(client, credential)
    revoke(first, at=w.t0 + timedelta(days=1), organisation=w.organisation)
    recompute(w.organisation, Cause.GRACE_ENDED, now=w.t0 + timedelta(days=32))

    after = served(client, credential)
    revocations = client.get("/api/v1/status-lists/rights-revocation").json()

    assert after == before
    assert credential_revoked(credential=after, status_list_credential=revocations, public_key=signing_key.public_key())


def test_the_rights_lists_are_signed_and_say_their_purpose(client, signing_key):
    for name, purpose in ((RIGHTS_REVOCATION, "revocation"), (RIGHTS_SUSPENSION, "suspension")):
        response = client.get(f"/api/v1/status-lists/{name}")
        document = response.json()
        assert response.status_code == 200 and response["Cache-Control"] == "public, max-age=300"
        assert document["id"] == status_list_url(name=name)
        assert document["credentialSubject"]["statusPurpose"] == purpose
        assert credential_verify(document, signing_key.public_key())


def test_suspensions_moved_to_other_credentials_are_not_served_from_the_cache():
    """Suspension bits come and go: {1, 4} and {2, 3} have the same count and sum of indices."""
    product = make_rule(min_engineers=1, grace_days=30).product
    rights = [give_right(OrganisationFactory(), product) for _i in range(4)]
    credentials = [right_credential_sync(right=right, now=timezone.now()) for right in rights]
    ids = [c.pk for c in credentials]

    def hold(right, status):
        right.status = status
        right_credential_sync(right=right, now=timezone.now())

    for right, status in ((rights[0], "grace"), (rights[3], "grace")):
        hold(right, status)
    assert bits(RIGHTS_SUSPENSION) == [ids[0], ids[3]]
    for right, status in ((rights[0], "active"), (rights[3], "active"), (rights[1], "grace"), (rights[2], "grace")):
        hold(right, status)

    assert bits(RIGHTS_SUSPENSION) == [ids[1], ids[2]]


def test_an_unchanged_rights_list_is_served_after_two_queries(count_queries):
    w = world()
    activate(w, at=w.t0)
    first = rights_status_list_credential(name=RIGHTS_SUSPENSION)

    with count_queries() as queries:
        second = rights_status_list_credential(name=RIGHTS_SUSPENSION)

    assert len(queries) == 2 and second == first


def test_the_credential_endpoint_answers_in_two_queries(client, count_queries):
    w = world()
    activate(w, at=w.t0)
    (credential,) = credentials_of(w)

    with count_queries() as queries:
        client.get(f"/api/v1/delivery-rights/credentials/{credential.public_id}")

    assert len(queries) <= 2


@pytest.mark.parametrize("credential_id", ["4b1c0c2e-4bb4-4a49-9d5b-2f0f3b1c6a3e", "not-an-id", "%00"])
def test_unknown_or_malformed_credential_ids_are_json_404s(client, credential_id):
    response = client.get(f"/api/v1/delivery-rights/credentials/{credential_id}")

    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_the_openapi_document_lists_the_credential_and_the_rights_lists(client):
    document = client.get("/api/v1/openapi.json").json()

    assert "/api/v1/delivery-rights/credentials/{credential_id}" in document["paths"]
    names = document["paths"]["/api/v1/status-lists/{name}"]["get"]["parameters"][0]["schema"]["enum"]
    assert names == ["revocation", RIGHTS_REVOCATION, RIGHTS_SUSPENSION]
