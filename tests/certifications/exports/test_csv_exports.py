"""CSV exports: the programme managers' (certificates, attempts, delivery rights, partners) and a
partner admin's (members, certificates, rights). Each is streamed, scoped to the vendor or the
team, safe to open in a spreadsheet, tried as every role, and runs the same number of queries
whatever its length."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from certifications.exams import services
from tests.certifications.rights.test_rights import give_right, make_rule
from tests.factories import certifications as f
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, UserFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, people_in_every_role
from tests.roles import Case, assert_exactly_the_allowed_roles

pytestmark = pytest.mark.django_db

VENDOR_KINDS = ("certificates", "attempts", "rights", "partners")
TEAM_KINDS = ("members", "certificates", "rights")


@pytest.fixture
def world():
    own, rival = VendorFactory(name="Own Vendor", slug="own"), VendorFactory(name="Rival Vendor", slug="rival")
    people = people_in_every_role(vendor=own, other_vendor=rival)
    organisation = people["partner_admin"].memberships.get().organisation
    certification = f.certification(vendor=own, title="Own Certified Engineer")
    product = ProductFactory(vendor=own, name="Own Firewall")
    certification.products.set([product])
    make_rule(product=product, certifications=[certification])
    engineer = MembershipFactory(organisation=organisation, user=UserFactory(full_name="=HYPERLINK(1)")).user
    exam = f.exam(certification_page=certification, questions=2)
    attempt = services.attempt_start(exam=exam, user=engineer)
    f.answer_all(attempt, correct=False)
    services.attempt_submit(attempt=attempt)
    rival_certification = f.certification(vendor=rival, title="Rival Certified Engineer")
    rival_product = ProductFactory(vendor=rival, name="Rival Switch")
    give_right(OrganisationFactory(name="Rival Only Partner"), rival_product)
    return {
        "people": people,
        "vendor": own,
        "organisation": organisation,
        "product": product,
        "certification": certification,
        "engineer": engineer,
        "certificate": f.certificate(holder=engineer, certification_page=certification, product_names=["Own Firewall"]),
        "rival_certificate": f.certificate(holder=UserFactory(), certification_page=rival_certification),
        "right": give_right(organisation, product),
    }


def rows_of(response) -> list[dict]:
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def vendor_url(kind, vendor="own"):
    return reverse("programme_export", kwargs={"kind": kind}) + f"?vendor={vendor}"


def team_url(organisation, kind):
    return reverse("certifications:team_export", kwargs={"slug": organisation.slug, "kind": kind})


def streamed_with(marker):
    def granted(w, response):
        if response.status_code != 200 or not response.streaming:
            return False
        return marker(w) in b"".join(response.streaming_content).decode()

    return granted


VENDOR_MARKERS = {
    "certificates": lambda w: w["certificate"].serial,
    "attempts": lambda w: str(w["engineer"].exam_attempts.get().public_id),
    "rights": lambda w: w["organisation"].slug,
    "partners": lambda w: w["organisation"].slug,
}


@pytest.mark.parametrize("kind", VENDOR_KINDS)
def test_only_the_vendors_programme_managers_export_its_lists(world, kind):
    case = Case("get", lambda w: vendor_url(kind), streamed_with(VENDOR_MARKERS[kind]), PROGRAMME_MANAGERS)
    assert_exactly_the_allowed_roles(world, case)


TEAM_MARKERS = {
    "members": lambda w: w["engineer"].email,
    "certificates": lambda w: w["certificate"].serial,
    "rights": lambda w: w["product"].name,
}


@pytest.mark.parametrize("kind", TEAM_KINDS)
def test_only_the_teams_partner_admin_exports_the_team(world, kind):
    case = Case(
        "get", lambda w: team_url(w["organisation"], kind), streamed_with(TEAM_MARKERS[kind]), {"partner_admin"}
    )
    assert_exactly_the_allowed_roles(world, case)


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_certificates_export_holds_the_vendors_certificates_only_and_no_formula(world):
    rows = rows_of(_client(world["people"]["programme_manager"]).get(vendor_url("certificates")))
    assert [r["serial"] for r in rows] == [world["certificate"].serial]
    row = rows[0]
    assert row["holder_name"] == "'=HYPERLINK(1)"
    assert row["organisation"] == world["organisation"].name
    assert row["products"] == "Own Firewall" and row["status"] == "valid"


def test_a_superuser_chooses_the_vendor_and_another_vendors_manager_cannot(world):
    rows = rows_of(_client(world["people"]["superuser"]).get(vendor_url("certificates", vendor="rival")))
    assert [r["serial"] for r in rows] == [world["rival_certificate"].serial]
    other = _client(world["people"]["other_programme_manager"])
    rows = rows_of(other.get(vendor_url("certificates", vendor="own")))
    assert world["certificate"].serial not in {r["serial"] for r in rows}


def test_partners_export_counts_members_certified_engineers_and_rights(world):
    rows = rows_of(_client(world["people"]["programme_manager"]).get(vendor_url("partners")))
    assert [r["organisation"] for r in rows] == [world["organisation"].name]
    assert rows[0]["members"] == "2" and rows[0]["certified_engineers"] == "1"
    assert (rows[0]["rights_active"], rows[0]["rights_in_grace"], rows[0]["rights_lapsed"]) == ("1", "0", "0")


def test_attempts_and_rights_exports(world):
    client = _client(world["people"]["programme_manager"])
    attempts = rows_of(client.get(vendor_url("attempts")))
    assert len(attempts) == 1 and attempts[0]["passed"] == "no"
    assert attempts[0]["certification"] == "Own Certified Engineer"
    rights = rows_of(client.get(vendor_url("rights")))
    assert [(r["organisation_slug"], r["product"], r["status"]) for r in rights] == [
        (world["organisation"].slug, "Own Firewall", "active")
    ]


def test_team_exports_hold_the_team(world):
    client = _client(world["people"]["partner_admin"])
    members = rows_of(client.get(team_url(world["organisation"], "members")))
    assert {m["email"]: m["valid_certificates"] for m in members} == {
        world["people"]["partner_admin"].email: "0",
        world["engineer"].email: "1",
    }
    certificates = rows_of(client.get(team_url(world["organisation"], "certificates")))
    assert [(c["serial"], c["vendor"]) for c in certificates] == [(world["certificate"].serial, "Own Vendor")]


def test_an_unknown_export_is_a_404(world):
    client = _client(world["people"]["superuser"])
    assert client.get(vendor_url("passwords")).status_code == 404
    admin = _client(world["people"]["partner_admin"])
    assert admin.get(team_url(world["organisation"], "passwords")).status_code == 404


def test_the_links_are_on_the_dashboard_and_the_team_page(world):
    dashboard = _client(world["people"]["programme_manager"]).get(reverse("programme_dashboard")).content.decode()
    for kind in VENDOR_KINDS:
        assert vendor_url(kind).replace("&", "&amp;") in dashboard
    team = _client(world["people"]["partner_admin"]).get(world["organisation"].get_absolute_url()).content.decode()
    for kind in TEAM_KINDS:
        assert team_url(world["organisation"], kind) in team


def _queries(client, url, count_queries) -> int:
    with count_queries() as queries:
        response = client.get(url)
        b"".join(response.streaming_content)
    return len(queries)


def test_exports_run_the_same_queries_for_one_row_and_many(world, count_queries):
    manager, admin = _client(world["people"]["programme_manager"]), _client(world["people"]["partner_admin"])
    urls = [(manager, vendor_url(k)) for k in VENDOR_KINDS]
    urls += [(admin, team_url(world["organisation"], k)) for k in TEAM_KINDS]
    _queries(manager, urls[0][1], count_queries)  # the first request of a session warms its caches
    before = [_queries(c, u, count_queries) for c, u in urls]
    for _ in range(4):
        member = MembershipFactory(organisation=world["organisation"]).user
        attempt = services.attempt_start(exam=world["certification"].exam, user=member)
        f.answer_all(attempt, correct=False)
        services.attempt_submit(attempt=attempt)
        f.certificate(holder=member, certification_page=world["certification"])
        organisation = OrganisationFactory()
        give_right(organisation, world["product"], status="grace")
        MembershipFactory(organisation=organisation)
        give_right(world["organisation"], ProductFactory(vendor=world["vendor"]))
    after = [_queries(c, u, count_queries) for c, u in urls]
    assert after == before
