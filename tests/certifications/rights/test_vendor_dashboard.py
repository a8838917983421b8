"""The programme dashboard: right figures for the vendor, nothing of another vendor's, who may
open it, and a query count that does not grow with the data."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certifications.models import ExamAttempt, OrganisationDeliveryRight
from community import services as community_services
from courses.models import Enrolment
from tests.certifications.rights.test_rights import give_right, make_rule
from tests.factories import certifications as cf
from tests.factories import courses as build
from tests.factories.community import MembershipFactory, OrganisationFactory, ProductFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("programme_dashboard")


def _attempt(exam, *, days_ago: int, passed: bool, reopened: bool = False) -> ExamAttempt:
    submitted = timezone.now() - timedelta(days=days_ago)
    return ExamAttempt.objects.create(
        exam=exam,
        user=UserFactory(),
        status=ExamAttempt.Status.GRADED,
        started_at=submitted - timedelta(minutes=30),
        deadline_at=submitted + timedelta(minutes=30),
        submitted_at=submitted,
        pass_mark_percent=70,
        passed=passed,
        reopened_at=submitted - timedelta(minutes=10) if reopened else None,
    )


def _enrol(user, course, *, active_days_ago: int, completed_days_ago: int | None = None) -> None:
    now = timezone.now()
    Enrolment.objects.create(
        user=user,
        course=course,
        last_activity_at=now - timedelta(days=active_days_ago),
        completed_at=None if completed_days_ago is None else now - timedelta(days=completed_days_ago),
    )


def _in_grace(organisation, product, *, ends_in_days: int, engineers: int = 1) -> OrganisationDeliveryRight:
    right = give_right(organisation, product, status="grace", engineers=engineers)
    right.grace_ends_at = timezone.now() + timedelta(days=ends_in_days)
    right.save(update_fields=["grace_ends_at"])
    return right


@pytest.fixture
def northwind():
    """A small programme with every figure different, including what must not be counted:
    old, voided and draft items, certificates past their date, older revocations."""
    vendor = VendorFactory(name="Northwind")
    today = timezone.localdate()
    associate = cf.certification(vendor=vendor, title="Northwind Certified Associate")
    expert = cf.certification(vendor=vendor, title="Northwind Certified Expert", live=False)
    exam = cf.exam(certification_page=associate, questions=1)
    academy = associate.get_parent().specific
    basics, advanced = build.course(academy_page=academy), build.course(academy_page=academy)
    build.course(academy_page=academy, live=False)

    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    _enrol(alice, basics, active_days_ago=0)
    _enrol(alice, advanced, active_days_ago=1, completed_days_ago=5)
    _enrol(bob, basics, active_days_ago=40, completed_days_ago=40)
    _enrol(carol, advanced, active_days_ago=10)

    _attempt(exam, days_ago=3, passed=True)
    _attempt(exam, days_ago=3, passed=False)
    _attempt(exam, days_ago=10, passed=True)
    _attempt(exam, days_ago=2, passed=True, reopened=True)
    _attempt(exam, days_ago=45, passed=True)

    cf.certificate(holder=alice, certification_page=associate)
    cf.certificate(holder=alice, certification_page=expert)
    cf.certificate(holder=bob, certification_page=associate, expires_on=today + timedelta(days=20))
    cf.certificate(
        holder=carol,
        certification_page=associate,
        issued_on=today - timedelta(days=400),
        expires_on=today - timedelta(days=1),
    )
    cf.certificate(holder=UserFactory(), certification_page=associate, status="revoked")
    cf.certificate(
        holder=UserFactory(),
        certification_page=associate,
        status="revoked",
        revoked_at=timezone.now() - timedelta(days=60),
    )

    router = ProductFactory(vendor=vendor, name="Northwind Router")
    make_rule(product=router, certifications=[associate], min_engineers=2, grace_days=30)
    switch = ProductFactory(vendor=vendor, name="Northwind Switch")
    make_rule(product=switch, certifications=[associate, expert], min_engineers=1, grace_days=90)
    ProductFactory(vendor=vendor, name="Northwind Storage")

    first = OrganisationFactory(name="Alpha Integrators")
    give_right(first, router, status="active", engineers=2)
    give_right(first, switch, status="active")
    _in_grace(OrganisationFactory(name="Beta Systems"), router, ends_in_days=30)
    _in_grace(OrganisationFactory(name="Gamma Services"), router, ends_in_days=5)
    give_right(OrganisationFactory(name="Delta Lapsed"), router, status="lapsed", engineers=0)
    give_right(OrganisationFactory(name="Epsilon Lapsed"), switch, status="lapsed", engineers=0)
    return vendor


@pytest.fixture
def contoso():
    """Another vendor's programme, whose names must never show on Northwind's dashboard."""
    vendor = VendorFactory(name="Contoso")
    certification = cf.certification(vendor=vendor, title="Contoso Certified Engineer")
    exam = cf.exam(certification_page=certification, questions=1)
    _attempt(exam, days_ago=1, passed=True)
    cf.certificate(holder=UserFactory(), certification_page=certification)
    product = ProductFactory(vendor=vendor, name="Contoso Firewall")
    make_rule(product=product, certifications=[certification])
    _in_grace(OrganisationFactory(name="Contoso Partner Ltd"), product, ends_in_days=1)
    return vendor


def _staff(vendor, *, manager: bool = True):
    """A programme manager of `vendor` (the dashboard is theirs), or with `manager=False` an author."""
    user = UserFactory()
    community_services.vendor_staff_add(vendor=vendor, user=user, manager=manager)
    return user


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_headline_figures_count_the_last_30_days_and_today(northwind, contoso):
    dashboard = _client(_staff(northwind)).get(DASHBOARD).context["dashboard"]

    assert dashboard.vendor == northwind
    # Two live courses (the draft is not published); Alice and Carol active, Bob not since 40 days.
    assert dashboard.learning == {"courses": 2, "enrolments": 4, "active_learners": 2, "completions": 1}
    # The 45-day-old attempt does not count; the reopened one counts once, with its last grade.
    assert dashboard.exams == {"attempts": 4, "passed": 3, "pass_rate": 75}
    # Carol's certificate is past its date (not yet swept): not valid. Alice holds two.
    assert dashboard.certificates == {"valid": 3, "expiring": 1, "revoked": 1, "holders": 2}
    # Alpha (active), Beta and Gamma (grace); the lapsed ones do not deliver.
    assert dashboard.partners_delivering == 3


def test_products_show_their_rule_rights_and_certified_engineers(northwind, contoso):
    response = _client(_staff(northwind)).get(DASHBOARD)
    products = {p.name: p for p in response.context["dashboard"].products}

    assert list(products) == ["Northwind Router", "Northwind Storage", "Northwind Switch"]
    router, storage, switch = products["Northwind Router"], products["Northwind Storage"], products["Northwind Switch"]
    assert (router.active, router.grace, router.lapsed, router.certified_engineers) == (1, 2, 1, 2)
    # Alice counts once for the switch although she holds both certifications that count.
    assert (switch.active, switch.grace, switch.lapsed, switch.certified_engineers) == (1, 0, 1, 2)
    assert storage.rule is None and storage.certified_engineers == 0
    html = response.content.decode()
    assert "2 certified engineers, 30 days' grace" in html
    assert "No rule: nobody may deliver it yet" in html


def test_certifications_show_attempts_pass_rate_and_certificates(northwind, contoso):
    dashboard = _client(_staff(northwind)).get(DASHBOARD).context["dashboard"]
    rows = {c.title: (c.attempts_recent, c.pass_rate, c.valid, c.expiring) for c in dashboard.certifications}
    assert rows == {
        "Northwind Certified Associate": (4, 75, 2, 1),
        "Northwind Certified Expert": (0, None, 1, 0),
    }


def test_partners_in_grace_are_listed_soonest_end_first_with_public_links_only(northwind, contoso):
    response = _client(_staff(northwind)).get(DASHBOARD)
    in_grace = response.context["dashboard"].in_grace
    assert [r.organisation.name for r in in_grace] == ["Gamma Services", "Beta Systems"]
    html = response.content.decode()
    assert "1 of 2 needed" in html
    gamma = in_grace[0].organisation
    assert f'href="{reverse("partners:partner", args=[gamma.slug])}"' in html
    assert reverse("community:organisation_members", kwargs={"slug": gamma.slug}) not in html


def test_vendor_staff_never_see_another_vendors_data(northwind, contoso):
    client = _client(_staff(northwind))
    for query in ({}, {"vendor": contoso.slug}):
        response = client.get(DASHBOARD, query)
        html = response.content.decode()
        assert response.context["dashboard"].vendor == northwind
        assert "Contoso" not in html
        assert 'name="vendor"' not in html  # one vendor: no picker


def test_site_administrators_pick_any_vendor(northwind, contoso):
    admin = _client(UserFactory(is_superuser=True))
    first = admin.get(DASHBOARD)
    html = first.content.decode()
    assert f'<option value="{northwind.slug}"' in html and f'<option value="{contoso.slug}"' in html
    assert first.context["dashboard"].vendor == contoso  # by name, the first

    chosen = admin.get(DASHBOARD, {"vendor": northwind.slug})
    html = chosen.content.decode()
    assert chosen.context["dashboard"].vendor == northwind
    assert "Northwind Certified Associate" in html and "Contoso Certified Engineer" not in html


def test_managers_of_two_vendors_pick_between_them_only(northwind, contoso):
    user = _staff(northwind)
    community_services.vendor_staff_add(vendor=contoso, user=user, manager=True)
    other = VendorFactory(name="Fabrikam")
    html = _client(user).get(DASHBOARD, {"vendor": contoso.slug}).content.decode()
    assert "Contoso Firewall" in html and "Northwind Router" not in html
    assert f'<option value="{northwind.slug}"' in html and other.slug not in html


def test_an_author_of_one_vendor_sees_only_the_vendors_they_manage(northwind, contoso):
    user = _staff(northwind, manager=False)
    community_services.vendor_staff_add(vendor=contoso, user=user, manager=True)
    html = _client(user).get(DASHBOARD, {"vendor": northwind.slug}).content.decode()
    assert "Contoso Firewall" in html and "Northwind Router" not in html
    assert f'<option value="{northwind.slug}"' not in html


def test_who_may_open_the_dashboard():
    vendor = VendorFactory()
    login = reverse("wagtailadmin_login")
    anonymous = Client().get(DASHBOARD)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(login)
    # People of partner companies have no admin access at all: sent to the admin login.
    engineer = MembershipFactory().user
    partner_admin = MembershipFactory(role="admin").user
    for user in (engineer, partner_admin):
        response = _client(user).get(DASHBOARD)
        assert response.status_code == 302 and response["Location"].startswith(login)
    # Admin access but no vendor of one's own: nothing to show.
    outsider = UserFactory()
    outsider.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assert _client(outsider).get(DASHBOARD).status_code == 404
    # Authors write content; the programme is its managers'.
    assert _client(_staff(vendor, manager=False)).get(DASHBOARD).status_code == 404
    assert _client(_staff(vendor)).get(DASHBOARD).status_code == 200


def test_programme_managers_find_the_dashboard_from_the_admin_home_and_menu(northwind, contoso):
    html = _client(_staff(northwind)).get(reverse("wagtailadmin_home")).content.decode()
    assert f'href="{DASHBOARD}"' in html
    assert "2 partners in a grace period" in html  # Beta and Gamma; not Contoso's partner

    outsider = UserFactory()
    outsider.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    assert DASHBOARD not in _client(outsider).get(reverse("wagtailadmin_home")).content.decode()


def test_partner_names_are_escaped(northwind):
    router = northwind.products.get(name="Northwind Router")
    _in_grace(OrganisationFactory(name="<script>alert(1)</script> Ltd"), router, ends_in_days=1)
    html = _client(_staff(northwind)).get(DASHBOARD).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in html and "<script>alert(1)" not in html


def _grow(vendor, n: int) -> None:
    """One more of every row the page lists or counts, `n` times over."""
    for i in range(n):
        certification = cf.certification(vendor=vendor, title=f"Extra certification {i}")
        exam = cf.exam(certification_page=certification, questions=1)
        _attempt(exam, days_ago=1, passed=bool(i % 2))
        course = build.course(academy_page=certification.get_parent().specific)
        _enrol(UserFactory(), course, active_days_ago=0, completed_days_ago=1)
        cf.certificate(holder=UserFactory(), certification_page=certification)
        product = ProductFactory(vendor=vendor, name=f"Extra product {i}")
        make_rule(product=product, certifications=[certification])
        _in_grace(OrganisationFactory(), product, ends_in_days=i + 1)
        give_right(OrganisationFactory(), product, status="active")


def test_queries_do_not_grow_with_the_programme(northwind, count_queries):
    client = _client(_staff(northwind))
    client.get(DASHBOARD)
    with count_queries() as small:
        client.get(DASHBOARD)
    _grow(northwind, 5)
    client.get(DASHBOARD)  # the forecast's cache, orphaned by the new data, is warm again
    with count_queries() as large:
        response = client.get(DASHBOARD)
    assert len(response.context["dashboard"].products) == 8
    assert len(large) == len(small), large.sql()
