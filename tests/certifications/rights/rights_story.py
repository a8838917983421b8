"""One partner's right to one product over ten weeks of 2025, recorded through the real services
with the clock passed in (`now=`), in the order it happened: an engineer joins, passes the exam,
the certificate expires, the grace runs out and the right lapses, she passes again, the vendor
changes the rule so that her certification stops counting, and a colleague who holds the new one
joins and renews the right. `EXPECTED` is the answer for every day of it."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from certifications.certificates import lifecycle
from certifications.exams import services as exam_services
from certifications.models import AttemptQuestion, Certificate, DeliveryRightEvent
from certifications.rights import services as rights
from community import services as community_services
from community.models import PartnerOrganisation, Product, User
from tests.certifications.rights.test_rights import make_rule
from tests.factories import certifications as cert_factories
from tests.factories.community import OrganisationFactory, ProductFactory, UserFactory, VendorFactory

Cause = DeliveryRightEvent.Cause

FIRST_DAY, LAST_DAY = date(2025, 3, 1), date(2025, 5, 12)
JOINED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
PASSED = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)  # a one-month certificate: it expires on 5 April
EXPIRED = datetime(2025, 4, 5, 9, 30, tzinfo=UTC)  # ten days' grace, to 15 April 09:30
NIGHTLY = datetime(2025, 4, 16, 2, 0, tzinfo=UTC)  # the nightly re-check records the lapse
PASSED_AGAIN = datetime(2025, 4, 22, 9, 0, tzinfo=UTC)
COLLEAGUE_PASSED = datetime(2025, 4, 28, 9, 0, tzinfo=UTC)  # not yet a member anywhere
RULE_CHANGED = datetime(2025, 5, 1, 10, 0, tzinfo=UTC)  # grace to 11 May 10:00
COLLEAGUE_JOINED = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)


@dataclass
class Story:
    organisation: PartnerOrganisation
    product: Product
    certificates: dict[str, Certificate]  # first, second (hers), colleague's
    manager: User


def _pass(user: User, exam, at: datetime) -> Certificate:
    attempt = exam_services.attempt_start(exam=exam, user=user, now=at)
    for question in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        right = [i for i, option in enumerate(question.options) if option["correct"]][:1]
        exam_services.attempt_answer(attempt=attempt, position=question.position, selected=right, now=at)
    exam_services.attempt_submit(attempt=attempt, now=at + timedelta(minutes=5))
    return Certificate.objects.get(attempt=attempt)


def _recompute(organisation: PartnerOrganisation, cause: str, at: datetime) -> list[str]:
    return rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=cause, now=at)


def record_story() -> Story:
    """Write the history, each step at its moment. The recomputations that signals queue after
    commit never run inside a test's transaction; each step calls the one it implies itself."""
    vendor = VendorFactory(name="Edgeworks")
    product = ProductFactory(vendor=vendor, name="Edge Router", slug="edge-router")
    first = cert_factories.certification(vendor=vendor, title="Edge Router Associate", validity_months=1)
    second = cert_factories.certification(vendor=vendor, title="Edge Router Professional", validity_months=12)
    first_exam = cert_factories.exam(certification_page=first, questions=2)
    second_exam = cert_factories.exam(certification_page=second, questions=2)
    rule = make_rule(product=product, certifications=[first], min_engineers=1, grace_days=10)
    manager = UserFactory(full_name="Programme Manager")
    community_services.vendor_staff_add(vendor=vendor, user=manager, manager=True)
    organisation = OrganisationFactory(name="Berlin Net", slug="berlin-net", region="eu")
    alice = UserFactory(full_name="Alice Example", email="alice@berlin-net.example")
    bob = UserFactory(full_name="Bob Example", email="bob@berlin-net.example")

    community_services.membership_start(organisation=organisation, user=alice, role="engineer")
    assert _recompute(organisation, Cause.MEMBER_JOINED, JOINED) == []
    hers = _pass(alice, first_exam, PASSED)
    assert _recompute(organisation, Cause.CERTIFICATE_ISSUED, PASSED + timedelta(minutes=10)) == [
        f"{product.pk}:-->active"
    ]
    assert lifecycle.certificates_expire(today=EXPIRED.date()) == 1
    assert _recompute(organisation, Cause.CERTIFICATE_EXPIRED, EXPIRED) == [f"{product.pk}:active->grace"]
    rights.rights_recheck_all(now=NIGHTLY)
    again = _pass(alice, first_exam, PASSED_AGAIN)
    assert _recompute(organisation, Cause.CERTIFICATE_ISSUED, PASSED_AGAIN + timedelta(minutes=10)) == [
        f"{product.pk}:lapsed->active"
    ]
    colleague = _pass(bob, second_exam, COLLEAGUE_PASSED)
    rights.delivery_rule_save(rule=rule, certifications=[second], changed_by=manager, now=RULE_CHANGED)
    rights.rights_recompute_product(product_id=product.pk, cause=Cause.RULE_CHANGED, now=RULE_CHANGED)
    community_services.membership_start(organisation=organisation, user=bob, role="engineer")
    assert _recompute(organisation, Cause.MEMBER_JOINED, COLLEAGUE_JOINED) == [f"{product.pk}:grace->active"]
    return Story(
        organisation=organisation,
        product=product,
        certificates={"first": hers, "second": again, "colleague": colleague},
        manager=manager,
    )


@dataclass(frozen=True)
class Held:
    """What the answer for a day says of the partner's right: its status, since when it has been
    held, when a grace ends, how many engineers counted and which certificates (by story name)."""

    status: str
    since: datetime
    grace_ends_at: datetime | None
    engineers: int
    certificates: frozenset[str]


def expected(day: date) -> Held | None:
    """The partner's right at the end of `day` (UTC), None when it held none."""
    first_stretch, second_stretch = PASSED + timedelta(minutes=10), PASSED_AGAIN + timedelta(minutes=10)
    if day < PASSED.date():
        return None
    if day < EXPIRED.date():
        return Held("active", first_stretch, None, 1, frozenset({"first"}))
    if day < NIGHTLY.date():  # the grace ended on 15 April; the lapse is recorded that night
        return Held("grace", first_stretch, EXPIRED + timedelta(days=10), 0, frozenset())
    if day < PASSED_AGAIN.date():
        return None
    if day < RULE_CHANGED.date():
        return Held("active", second_stretch, None, 1, frozenset({"second"}))
    if day < COLLEAGUE_JOINED.date():
        return Held("grace", second_stretch, RULE_CHANGED + timedelta(days=10), 0, frozenset())
    return Held("active", second_stretch, None, 1, frozenset({"colleague"}))


def story_days():
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)
