"""Races on PostgreSQL: several threads, each with its own database connection, run the same
write at the same moment. The row locks and the partial unique constraint must hold."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from community.models import Invitation, Membership
from community.services import InvitationError, invitation_accept, membership_start
from tests.factories.community import MembershipFactory, OrganisationFactory, UserFactory
from tests.integration.racing import race

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def _pending_invitation(*, organisation, email: str, token: str) -> Invitation:
    return Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=Membership.Role.ENGINEER,
        token_hash=Invitation.hash_token(token),
        expires_at=timezone.now() + timedelta(days=7),
    )


def test_two_concurrent_accepts_of_one_invitation_make_exactly_one_membership(organisation):
    for round_ in range(ROUNDS):
        user = UserFactory(email=f"racer{round_}@example.com")
        token = f"token-{round_}"
        invitation = _pending_invitation(organisation=organisation, email=user.email, token=token)

        outcomes = race([lambda token=token, user=user: invitation_accept(token=token, user=user)] * 2)

        accepted = [outcome for outcome in outcomes if isinstance(outcome, Membership)]
        refused = [outcome for outcome in outcomes if isinstance(outcome, InvitationError)]
        assert len(accepted) == 1, outcomes
        assert len(refused) == 1 and refused[0].code == "used", outcomes
        assert Membership.objects.filter(user=user).count() == 1
        invitation.refresh_from_db()
        assert invitation.accepted_by == user


def test_concurrent_membership_start_for_a_newcomer_leaves_one_current_membership():
    organisations = OrganisationFactory.create_batch(3)
    for _round in range(ROUNDS):
        user = UserFactory()

        outcomes = race(
            [
                lambda organisation=organisation, user=user: membership_start(
                    organisation=organisation, user=user, role=Membership.Role.ENGINEER
                )
                for organisation in organisations
            ]
        )

        assert all(isinstance(outcome, Membership | IntegrityError) for outcome in outcomes), outcomes
        assert any(isinstance(outcome, Membership) for outcome in outcomes), outcomes
        assert Membership.objects.filter(user=user, left_at__isnull=True).count() == 1


def test_concurrent_membership_start_for_a_member_moving_leaves_one_current_membership():
    home, *destinations = OrganisationFactory.create_batch(3)
    MembershipFactory(organisation=home, role=Membership.Role.ADMIN)
    for _round in range(ROUNDS):
        user = MembershipFactory(organisation=home, role=Membership.Role.ENGINEER).user

        outcomes = race(
            [
                lambda organisation=organisation, user=user: membership_start(
                    organisation=organisation, user=user, role=Membership.Role.ENGINEER
                )
                for organisation in destinations
            ]
        )

        assert all(isinstance(outcome, Membership | IntegrityError) for outcome in outcomes), outcomes
        assert any(isinstance(outcome, Membership) for outcome in outcomes), outcomes
        current = Membership.objects.filter(user=user, left_at__isnull=True)
        assert current.count() == 1
        assert current.get().organisation in destinations
        assert Membership.objects.filter(user=user, organisation=home, left_at__isnull=False).count() == 1
