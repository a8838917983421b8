"""Certificates, delivery-right rules and rights for the benchmark dataset.

Certificates are made in bulk from passed attempts (60,000 at scale 1): frozen printed facts, the
certification's products, dates from the pass and the certification's validity, about 1% revoked
and those past their expiry marked expired, as the daily sweep would have. PDFs are not rendered
(the benchmark times rendering on its own). Each product gets a rule; the rights are then computed
by the real service, organisation by organisation, so they agree with the certificates."""

import random
from datetime import timedelta

from django.utils import timezone

from certifications.certificates.renewal import add_months
from certifications.certificates.serials import serial_generate
from certifications.models import (
    Certificate,
    CertificationPage,
    DeliveryRightEvent,
    DeliveryRightRule,
    ExamAttempt,
)
from certifications.rights.services import rights_recompute_organisation
from community.dataset import bulk, scaled, statistics_refresh
from community.models import Membership, Product, User

REVOKED_SHARE = 0.01


def generate(*, scale: float, rng: random.Random) -> dict:
    now = timezone.now()
    today = now.date()
    pages = {page.pk: page for page in CertificationPage.objects.select_related("vendor").prefetch_related("products")}
    passes = list(
        ExamAttempt.objects.filter(user__email__endswith="@dataset.example", passed=True)
        .order_by("submitted_at")
        .values_list("pk", "user_id", "exam__certification_id", "submitted_at")[: scaled(60_000, scale)]
    )
    names = dict(User.objects.filter(pk__in={p[1] for p in passes}).values_list("pk", "full_name"))
    certificates = []
    for attempt_id, user_id, certification_id, submitted_at in passes:
        page = pages[certification_id]
        issued_on = submitted_at.date()
        expires_on = add_months(issued_on, page.validity_months)
        revoked = rng.random() < REVOKED_SHARE
        status = "revoked" if revoked else ("expired" if expires_on <= today else "valid")
        certificates.append(
            Certificate(
                serial=serial_generate(),
                holder_id=user_id,
                certification_id=certification_id,
                vendor_id=page.vendor_id,
                attempt_id=attempt_id,
                holder_name=names[user_id],
                certification_title=page.title,
                vendor_name=page.vendor.name,
                product_names=[product.name for product in page.products.all()],
                issued_on=issued_on,
                expires_on=expires_on,
                issued_at=submitted_at,
                status=status,
                expired_at=now if status == "expired" else None,
                revoked_at=submitted_at + timedelta(days=rng.randint(1, 60)) if revoked else None,
                revocation_reason=Certificate.RevocationReason.EXAM_MISCONDUCT if revoked else "",
            )
        )
    bulk(Certificate, certificates)
    through = Certificate.products.through
    bulk(
        through,
        [
            through(certificate_id=certificate.pk, product_id=product.pk)
            for certificate in certificates
            for product in pages[certificate.certification_id].products.all()
        ],
    )

    counting: dict[int, list[int]] = {}
    for page in pages.values():
        for product in page.products.all():
            counting.setdefault(product.pk, []).append(page.pk)
    rules = bulk(
        DeliveryRightRule,
        [
            DeliveryRightRule(product_id=product_id, min_engineers=rng.choice([1, 1, 2, 3]), grace_days=90)
            for product_id in Product.objects.filter(pk__in=counting).values_list("pk", flat=True)
        ],
    )
    rule_through = DeliveryRightRule.certifications.through
    bulk(
        rule_through,
        [
            rule_through(deliveryrightrule_id=rule.pk, certificationpage_id=page_id)
            for rule in rules
            for page_id in counting[rule.product_id]
        ],
    )
    statistics_refresh()
    organisations = sorted(
        set(
            Membership.objects.current()
            .filter(user__certificates__status="valid")
            .values_list("organisation_id", flat=True)
        )
    )
    for organisation_id in organisations:
        rights_recompute_organisation(
            organisation_id=organisation_id, cause=DeliveryRightEvent.Cause.CERTIFICATE_ISSUED, now=now
        )
    return {
        "counts": {
            "certificates": len(certificates),
            "delivery-right rules": len(rules),
            "organisations with rights computed": len(organisations),
        },
        "notes": [],
    }
