"""The marketplace's demo: requests in every state (one from a named account), delivered work
rated above and below the five-answer threshold, a teamed engagement, three partner tiers with
partners in each; idempotent."""

import io

import pytest
from django.core.management import call_command

from partners.models import (
    CustomerRequest,
    EngagementPartner,
    NamedAccount,
    Opportunity,
    OpportunityConflict,
    OrganisationTier,
    PartnerTierChange,
    SatisfactionResponse,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_the_whole_loop_and_is_idempotent(home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    states = set(CustomerRequest.objects.values_list("state", flat=True))
    assert states == set(CustomerRequest.State.values)
    assert CustomerRequest.objects.get(state="vendor").named_account.company == "Hansa Bank"
    assert NamedAccount.objects.count() == 2
    answers = {
        slug: SatisfactionResponse.objects.filter(organisation__slug=slug).count()
        for slug in ("northwind-integrators", "baltic-systems")
    }
    assert answers["northwind-integrators"] >= 5 > answers["baltic-systems"] > 0
    assert EngagementPartner.objects.filter(state="accepted").count() == 1
    assert set(Opportunity.objects.values_list("state", flat=True)) == {"approved", "conflict", "pending"}
    assert OpportunityConflict.objects.filter(decided_at__isnull=True).count() == 1
    held = dict(OrganisationTier.objects.held().values_list("organisation__slug", "tier__slug"))
    assert held == {
        "northwind-integrators": "gold",
        "shanghai-cloudbridge": "silver",
        "summit-cloud-services": "registered",
        "baltic-systems": "registered",
    }
    changes = PartnerTierChange.objects.count()
    counts = (CustomerRequest.objects.count(), SatisfactionResponse.objects.count(), Opportunity.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        CustomerRequest.objects.count(),
        SatisfactionResponse.objects.count(),
        Opportunity.objects.count(),
    ) == counts
    assert PartnerTierChange.objects.count() == changes == 3
