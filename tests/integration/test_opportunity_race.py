"""Two partners register the same customer domain and product at the same moment, each on its
own PostgreSQL connection. The CustomerDomain row lock must decide them one after the other: one
registration owns the customer (pending) and the other is a conflict with it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from partners import opportunities
from partners.models import CustomerDomain, Opportunity, OpportunityConflict
from tests.factories.community import ProductFactory, VendorFactory
from tests.integration.racing import race
from tests.partners.marketplace import authorised_partner

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def _register(partner, product, domain):
    return lambda: opportunities.opportunity_register(
        organisation=partner,
        user=partner.admin,
        customer_company="Customer GmbH",
        customer_domain=domain,
        products=[product],
        expected_value=Decimal("10000"),
        close_date=date.today() + timedelta(days=30),
        notes="",
    )


@pytest.mark.parametrize("known_customer", [False, True], ids=["new-domain", "known-domain"])
def test_two_partners_registering_one_customer_at_once_make_one_owner_and_one_conflict(home_page, known_customer):
    """A new domain's row is created by the first and waited for by the second (its unique
    index); a known one's row exists, and only its lock keeps the two apart."""
    product = ProductFactory(vendor=VendorFactory())
    first, second = authorised_partner(product), authorised_partner(product)
    for round_ in range(ROUNDS):
        domain = f"customer{round_}.example"
        if known_customer:
            CustomerDomain.objects.create(vendor=product.vendor, domain=domain)
        outcomes = race([_register(first, product, domain), _register(second, product, f"ana@{domain.upper()}")])
        assert all(isinstance(o, Opportunity) for o in outcomes), outcomes
        assert CustomerDomain.objects.filter(domain=domain).count() == 1
        registered = Opportunity.objects.filter(customer__domain=domain).order_by("registered_at", "pk")
        assert [o.state for o in registered] == [Opportunity.State.CONFLICT] * 2
        conflict = OpportunityConflict.objects.get(first__customer__domain=domain)
        older, newer = sorted(outcomes, key=lambda o: o.pk)
        assert (conflict.first_id, conflict.second_id) == (older.pk, newer.pk)
        # The one registered first found no rival (it owns the customer, pending); the second found it.
        assert [o.state for o in sorted(outcomes, key=lambda o: o.pk)] == [
            Opportunity.State.PENDING,
            Opportunity.State.CONFLICT,
        ]
