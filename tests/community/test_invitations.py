"""Invitations: e-mailed, expiring, single-use links that work for new and existing accounts."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Invitation, Membership, User
from tests.community.conftest import link_in
from tests.factories.community import PASSWORD, MembershipFactory, UserFactory


@pytest.fixture
def invite(partner_admin, organisation, mailoutbox, django_capture_on_commit_callbacks):
    """Invite an address as the organisation's admin; returns the accept-link path from the e-mail
    (sent after commit, so the test runs the on-commit hooks)."""

    def _invite(email, role="engineer"):
        with django_capture_on_commit_callbacks(execute=True):
            services.invitation_create(organisation=organisation, email=email, role=role, invited_by=partner_admin)
        return link_in(mailoutbox[-1], "/invitations/")

    return _invite


@pytest.mark.django_db
def test_invitation_e_mail_is_sent_with_a_working_link(client, invite, organisation, partner_admin, mailoutbox):
    path = invite("newcomer@example.com")
    message = mailoutbox[-1]
    assert message.to == ["newcomer@example.com"]
    assert organisation.name in message.subject
    assert partner_admin.full_name in message.body
    assert path in message.alternatives[0][0]  # the HTML part carries the same link
    page = client.get(path)
    assert page.status_code == 200
    assert organisation.name in page.content.decode()


@pytest.mark.django_db
def test_invitation_e_mail_is_in_the_recipients_language(invite, mailoutbox):
    UserFactory(email="li.na@example.com", preferred_language="zh-hans")
    invite("li.na@example.com")
    assert "邀请" in mailoutbox[-1].subject
    assert "邀请" in mailoutbox[-1].body


@pytest.mark.django_db
def test_invitation_e_mail_to_a_new_address_follows_the_inviters_language(invite, partner_admin, mailoutbox):
    partner_admin.preferred_language = "zh-hans"
    partner_admin.save()
    invite("nobody-yet@example.com")
    assert "邀请" in mailoutbox[-1].subject


@pytest.mark.django_db
def test_new_account_signs_up_from_the_invitation_without_extra_verification_then_accepts(
    client, invite, organisation, mailoutbox
):
    path = invite("newcomer@example.com")
    page = client.get(path)
    signup_link = re.search(r'href="(/accounts/signup/\?[^"]+)"', page.content.decode()).group(1).replace("&amp;", "&")
    signup_page = client.get(signup_link).content.decode()
    assert 'value="newcomer@example.com"' in signup_page  # the invited address is filled in
    sent_before = len(mailoutbox)
    response = client.post(
        f"{reverse('account_signup')}?next={path}",
        {
            "full_name": "Newcomer Person",
            "email": "newcomer@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": path,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == path  # signed in straight away, back to the invitation
    user = User.objects.get(email="newcomer@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == sent_before  # no verification e-mail needed
    assert int(client.session["_auth_user_id"]) == user.pk

    client.post(path)
    membership = Membership.objects.get(user=user, left_at__isnull=True)
    assert membership.organisation == organisation
    assert membership.role == "engineer"


@pytest.mark.django_db
def test_existing_account_signs_in_and_accepts(client, invite, organisation):
    person = UserFactory(email="existing@example.com")
    path = invite("existing@example.com", role="admin")
    page = client.get(path)
    assert f"{reverse('account_login')}?next=" in page.content.decode()
    response = client.post(path)  # not signed in yet: sent to sign in first
    assert response["Location"].startswith(reverse("account_login"))
    client.post(f"{reverse('account_login')}?next={path}", {"login": person.email, "password": PASSWORD})
    response = client.post(path)
    assert response["Location"] == reverse("community:organisation")
    membership = Membership.objects.get(user=person, left_at__isnull=True)
    assert (membership.organisation, membership.role) == (organisation, "admin")
    invitation = Invitation.objects.get(email="existing@example.com")
    assert invitation.accepted_by == person and invitation.accepted_at is not None


@pytest.mark.django_db
def test_reused_link_is_rejected_with_a_clear_message(client, invite):
    person = UserFactory(email="existing@example.com")
    path = invite(person.email)
    client.force_login(person)
    client.post(path)
    response = client.get(path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


@pytest.mark.django_db
def test_expired_link_is_rejected_with_a_clear_message(client, invite):
    path = invite("late@example.com")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(path)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    person = UserFactory(email="late@example.com")
    client.force_login(person)
    client.post(path)
    assert not Membership.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_revoked_link_is_rejected_with_a_clear_message(client, invite, organisation):
    path = invite("withdrawn@example.com")
    services.invitation_revoke(invitation=Invitation.objects.get())
    response = client.get(path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.django_db
def test_a_newer_invitation_replaces_the_older_link(client, invite):
    first = invite("twice@example.com")
    second = invite("twice@example.com")
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


@pytest.mark.django_db
def test_unknown_token_is_rejected_with_a_clear_message(client):
    response = client.get(reverse("community:invitation_accept", kwargs={"token": "not-a-real-token"}))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_accepting_with_the_wrong_account_is_refused(client, invite):
    path = invite("right@example.com")
    wrong = UserFactory(email="wrong@example.com")
    client.force_login(wrong)
    page = client.get(path).content.decode()
    assert "this invitation is for right@example.com" in page
    assert "Sign out and switch account" in page
    switch = client.post(reverse("account_logout"), {"next": f"{reverse('account_login')}?next={path}"})
    assert switch["Location"] == f"{reverse('account_login')}?next={path}"
    client.force_login(wrong)
    response = client.post(path, follow=True)
    assert "Sign in with that address" in response.content.decode()
    assert not Membership.objects.filter(user=wrong).exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_accepting_another_organisations_invitation_moves_the_person_and_keeps_history(client, invite, organisation):
    old_membership = MembershipFactory(user=UserFactory(email="mover@example.com"), role="engineer")
    path = invite("mover@example.com")
    client.force_login(old_membership.user)
    page = client.get(path).content.decode()
    assert "moves you out of" in page
    client.post(path)
    old_membership.refresh_from_db()
    assert old_membership.left_at is not None
    current = Membership.objects.get(user=old_membership.user, left_at__isnull=True)
    assert current.organisation == organisation
    assert Membership.objects.filter(user=old_membership.user).count() == 2


@pytest.mark.django_db
def test_the_last_admin_of_another_organisation_cannot_be_moved_by_an_invitation(client, invite):
    other = MembershipFactory(user=UserFactory(email="boss@example.com"), role="admin")
    path = invite("boss@example.com")
    client.force_login(other.user)
    response = client.post(path, follow=True)
    assert "last partner admin" in response.content.decode()
    other.refresh_from_db()
    assert other.left_at is None
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
def test_inviting_a_current_member_is_refused(partner_admin, organisation, engineer):
    with pytest.raises(services.ValidationError):
        services.invitation_create(
            organisation=organisation, email=engineer.email.upper(), role="engineer", invited_by=partner_admin
        )


@pytest.mark.django_db
def test_resending_sends_a_new_link_and_the_old_one_stops_working(
    client, invite, partner_admin, mailoutbox, django_capture_on_commit_callbacks
):
    old_path = invite("slow@example.com")
    invitation = Invitation.objects.get()
    client.force_login(partner_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "community:invitation_resend",
                kwargs={"slug": invitation.organisation.slug, "invitation_id": invitation.pk},
            ),
            follow=True,
        )
    assert "new invitation link was sent" in response.content.decode()
    new_path = link_in(mailoutbox[-1], "/invitations/")
    assert new_path != old_path
    assert client.get(old_path).status_code == 410
    client.logout()
    assert client.get(new_path).status_code == 200


@pytest.mark.django_db
def test_resending_an_accepted_invitation_is_refused(invite, partner_admin):
    person = UserFactory(email="done@example.com")
    path = invite(person.email)
    services.invitation_accept(token=path.strip("/").split("/")[-1], user=person)
    with pytest.raises(services.ValidationError):
        services.invitation_resend(invitation=Invitation.objects.get(), invited_by=partner_admin)


@pytest.mark.django_db
def test_purge_keeps_accepted_invitations_as_the_record_of_who_invited_whom(invite, partner_admin):
    person = UserFactory(email="kept@example.com")
    path = invite(person.email)
    services.invitation_accept(token=path.strip("/").split("/")[-1], user=person)
    invite("expired@example.com")
    Invitation.objects.update(expires_at=timezone.now() - timedelta(days=200))
    assert services.invitations_purge() == 1
    assert Invitation.objects.get().email == "kept@example.com"
