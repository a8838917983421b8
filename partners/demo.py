"""Demo marketplace: named accounts, customers' requests in every state (one from a named
account), delivered engagements with survey answers (Northwind above the five-answer threshold,
Baltic below it), a teamed engagement, and Nimbus Cloud's three partner tiers with partners in
each (Northwind Gold, Shanghai CloudBridge Silver, Summit and Baltic Registered). Built through
the marketplace's own services, dated in the past; idempotent, as each request is matched by its
customer's e-mail address."""

from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from certifications.models import DeliveryRightEvent
from certifications.rights import services as rights
from community.models import PartnerOrganisation, Product, User, Vendor
from partners import offers, opportunities, requests, teaming, tiers
from partners.events import Kind, event_record
from partners.models import (
    CustomerRequest,
    NamedAccount,
    NamedAccountDomain,
    Opportunity,
    PartnerTier,
    SatisfactionResponse,
)

NAMED_ACCOUNTS = [
    ("nimbus-cloud", "Hansa Bank", ["hansabank.example"], "Claire Dubois", "claire.dubois@nimbus-cloud.example"),
    (
        "arclight-networks",
        "Pacific Rail",
        ["pacificrail.example", "pacific-rail.example"],
        "Ken Ito",
        "ken.ito@arclight.example",
    ),
]

# (company, e-mail, product slug, region, days ago, outcome, [survey (satisfaction, recommend, comment, reply)])
REQUESTS = [
    (
        "Rheinland Logistics",
        "it@rheinland-logistics.example",
        "nimbus-managed-postgresql",
        "eu",
        0,
        "unconfirmed",
        None,
    ),
    ("Vienna Health Group", "digital@viennahealth.example", "nimbus-managed-postgresql", "eu", 1, "routing", None),
    ("Nordic Media", "ops@nordicmedia.example", "nimbus-managed-postgresql", "eu", 1, "declined-once", None),
    ("Hansa Bank", "cio@hansabank.example", "nimbus-managed-postgresql", "eu", 3, "vendor", None),
    ("Bogotá Foods", "ti@bogotafoods.example", "nimbus-managed-postgresql", "latam", 4, "unmatched", None),
    ("Lyon Retail", "dsi@lyonretail.example", "nimbus-managed-postgresql", "eu", 6, "northwind", None),
    (
        "Porto Telecom",
        "cto@portotelecom.example",
        "nimbus-managed-postgresql",
        "eu",
        40,
        "northwind",
        (5, 10, "Migrated 40 databases without an hour of downtime.", "Thank you, it was a pleasure."),
    ),
    (
        "Gdańsk Shipping",
        "it@gdanskshipping.example",
        "nimbus-managed-postgresql",
        "eu",
        75,
        "northwind",
        (4, 9, "", ""),
    ),
    (
        "Madrid Insurance",
        "arquitectura@madridins.example",
        "nimbus-managed-postgresql",
        "eu",
        110,
        "northwind",
        (5, 9, "Clear plan, on time.", ""),
    ),
    (
        "Utrecht Energy",
        "data@utrechtenergy.example",
        "nimbus-managed-postgresql",
        "eu",
        160,
        "northwind",
        (4, 8, "", ""),
    ),
    (
        "Milano Fashion",
        "it@milanofashion.example",
        "nimbus-managed-postgresql",
        "eu",
        220,
        "northwind",
        (
            3,
            6,
            "Good result, but the handover notes came late.",
            "Fair point: we now deliver them with the final review.",
        ),
    ),
    (
        "Zurich Clinics",
        "infra@zurichclinics.example",
        "nimbus-managed-postgresql",
        "eu",
        300,
        "northwind",
        (5, 10, "", ""),
    ),
    ("Tallinn Port", "it@tallinnport.example", "arclight-campus-wifi", "eu", 20, "baltic-team", None),
    (
        "Riga University",
        "net@rigauni.example",
        "arclight-campus-wifi",
        "eu",
        90,
        "baltic",
        (4, 8, "Coverage in every lecture hall.", ""),
    ),
    ("Vilnius Airport", "it@vilniusairport.example", "arclight-campus-wifi", "eu", 150, "baltic", (5, 9, "", "")),
]


# (partner slug, customer, domain, product slug, value, days ago, decision by the vendor or None)
OPPORTUNITIES = [
    (
        "northwind-integrators",
        "Frankfurt Airport",
        "frankfurt-airport.example",
        "nimbus-managed-postgresql",
        180_000,
        30,
        "approve",
    ),
    ("baltic-systems", "Frankfurt Airport", "frankfurt-airport.example", "nimbus-managed-postgresql", 150_000, 5, None),
    ("shanghai-cloudbridge", "苏州银行", "suzhou-bank.example", "nimbus-kubernetes-engine", 420_000, 2, None),
]


def _opportunities(now) -> None:
    """An approved registration, a second partner's registration of the same customer (a
    conflict for the vendor to decide) and one waiting for a decision."""
    for slug, company, domain, product_slug, value, days, decision in OPPORTUNITIES:
        if Opportunity.objects.filter(organisation__slug=slug, customer__domain=domain).exists():
            continue
        product = Product.objects.filter(slug=product_slug).first()
        organisation = PartnerOrganisation.objects.filter(slug=slug).first()
        if product is None or organisation is None:
            continue
        registered = now - timedelta(days=days)
        try:
            opportunity = opportunities.opportunity_register(
                organisation=organisation,
                user=_admin(slug),
                customer_company=company,
                customer_domain=domain,
                products=[product],
                expected_value=value,
                close_date=(now + timedelta(days=90)).date(),
                notes=f"Met {company}'s IT team at a workshop; a proposal is under review.",
                now=registered,
            )
        except ValidationError:  # the partner holds no right to the product in this database
            continue
        if decision == "approve":
            manager = User.objects.get(email=f"programme@{product.vendor.website.split('//')[1]}")
            opportunities.opportunity_approve(opportunity=opportunity, user=manager, now=registered + timedelta(days=2))


# Nimbus Cloud's tiers: (name, slug, rank, products, certified engineers, delivered, satisfaction, grace days)
TIERS = [
    ("Registered", "registered", 1, 1, 0, 0, None, 30),
    ("Silver", "silver", 2, 1, 2, 0, None, 60),
    ("Gold", "gold", 3, 1, 3, 5, Decimal("4.0"), 90),
]


def _tiers() -> None:
    """Nimbus Cloud's tiers, saved by its programme manager through the tiers' service (an
    unchanged tier records nothing on a second run), then every partner's tier."""
    vendor = Vendor.objects.filter(slug="nimbus-cloud").first()
    if vendor is None:
        return
    manager = User.objects.filter(email=f"programme@{vendor.website.split('//')[1]}").first()
    for name, slug, rank, products, certified, delivered, satisfaction, grace in TIERS:
        tier = PartnerTier.objects.filter(vendor=vendor, slug=slug).first() or PartnerTier(vendor=vendor, slug=slug)
        tier.name, tier.rank, tier.grace_days = name, rank, grace
        tier.min_products, tier.min_certified, tier.min_delivered = products, certified, delivered
        tier.min_satisfaction = satisfaction
        tiers.partner_tier_save(tier=tier, changed_by=manager)
    tiers.tiers_recompute_all(cause=tiers.Cause.TIER_CHANGED)


def _admin(slug: str) -> User:
    return User.objects.get(memberships__organisation__slug=slug, memberships__role="admin", memberships__left_at=None)


def _deliver_and_rate(engagement, admin, at, survey) -> None:
    engagement.delivered_at, engagement.delivered_by = at, admin
    engagement.save(update_fields=["delivered_at", "delivered_by"])
    event_record(
        Kind.DELIVERED,
        engagement=engagement,
        request_id=engagement.request_id,
        organisation_id=engagement.organisation_id,
        actor=admin,
        at=at,
    )
    satisfaction, recommend, comment, reply = survey
    answered = at + timedelta(days=2)
    SatisfactionResponse.objects.create(
        engagement=engagement,
        organisation_id=engagement.organisation_id,
        satisfaction=satisfaction,
        recommend=recommend,
        comment=comment,
        answered_at=answered,
        reply=reply,
        replied_at=answered + timedelta(days=1) if reply else None,
    )
    event_record(
        Kind.SURVEY_ANSWERED,
        engagement=engagement,
        request_id=engagement.request_id,
        organisation_id=engagement.organisation_id,
        at=answered,
    )


def seed(*, stdout) -> dict:
    for vendor_slug, company, domains, owner, owner_email in NAMED_ACCOUNTS:
        vendor = Vendor.objects.filter(slug=vendor_slug).first()
        if vendor is None:
            continue
        account, _created = NamedAccount.objects.update_or_create(
            vendor=vendor, company=company, defaults={"owner_name": owner, "owner_email": owner_email}
        )
        for domain in domains:
            NamedAccountDomain.objects.get_or_create(vendor=vendor, domain=domain, defaults={"account": account})
    # Routing reads rights: compute them now rather than when the recomputations queued by the
    # certifications' demo run (after this transaction, or later on a worker).
    for organisation in PartnerOrganisation.objects.all():
        rights.rights_recompute_organisation(organisation_id=organisation.pk, cause=DeliveryRightEvent.Cause.RECHECK)
    now = timezone.now()
    follow_links = []
    for company, email, product_slug, region, days, outcome, survey in REQUESTS:
        product = Product.objects.filter(slug=product_slug).first()
        if product is None or CustomerRequest.objects.filter(email=email).exists():
            continue
        asked = now - timedelta(days=days, hours=3)
        request = requests.request_submit(
            products=[product],
            company=company,
            company_size="250-999",
            contact_name=f"{company} IT",
            email=email,
            region=region,
            need=f"{company} needs help to roll out {product.name}.",
            created_at=asked,
        )
        if outcome == "unconfirmed":
            continue
        requests.request_confirm(request_id=request.pk, now=asked + timedelta(minutes=20))
        request.refresh_from_db()
        answered = asked + timedelta(hours=5)
        # Offers exist only where the certifications' demo computed the partners' rights.
        slug = "northwind-integrators" if outcome == "northwind" else "baltic-systems"
        offer = request.offers.filter(organisation__slug=slug).first()
        if offer is None:
            pass
        elif outcome == "declined-once":
            offers.offer_decline(offer_id=offer.pk, user=_admin(slug), reason="capacity", now=answered)
        elif outcome in ("northwind", "baltic", "baltic-team"):
            admin = _admin(slug)
            engagement = offers.offer_accept(offer_id=offer.pk, user=admin, now=answered)
            if survey:
                _deliver_and_rate(engagement, admin, asked + timedelta(days=days // 2 or 1), survey)
            if outcome == "baltic-team":
                partner = PartnerOrganisation.objects.get(slug="northwind-integrators")
                database = Product.objects.get(slug="nimbus-managed-postgresql")
                member = teaming.team_invite(
                    engagement=engagement,
                    organisation=partner,
                    product=database,
                    part="Moves the port's booking database to Nimbus Managed PostgreSQL.",
                    user=admin,
                    now=answered + timedelta(days=1),
                )
                teaming.team_answer(
                    member_id=member.pk,
                    user=User.objects.get(email="anna.schmidt@northwind.example"),
                    accept=True,
                    now=answered + timedelta(days=2),
                )
        follow_links.append(f"{company} ({request.get_state_display()}): {requests.follow_url(request)}")
    _opportunities(now)
    _tiers()
    notes = [
        "  Marketplace: customers ask at /partners/request/; partner admins answer at /partners/leads/ "
        "(anna.schmidt@northwind.example, alexei.smirnov@balticsystems.example).",
        "  Partner tiers: Nimbus Cloud's Registered, Silver and Gold at /partners/?tier=gold (and silver, "
        "registered); its staff edit them in the admin, Partner tiers.",
    ]
    if follow_links:
        notes.append("  Customers' private follow pages:\n" + "\n".join(f"    {link}" for link in follow_links[:4]))
    return {"notes": notes}
