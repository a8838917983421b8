"""Partner organisation pages: who may see and do what, membership rules, escaping, query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from community import services
from community.models import Invitation, Membership, PartnerOrganisation
from tests.factories.community import MembershipFactory, OrganisationFactory, UserFactory

# --- Who may do what -------------------------------------------------------------------------


@pytest.fixture
def other_admin(db):
    """A partner admin of a different organisation."""
    return MembershipFactory(role="admin").user


@pytest.fixture
def pending_invitation(organisation, partner_admin):
    return services.invitation_create(
        organisation=organisation, email="pending@example.com", role="engineer", invited_by=partner_admin
    )


def _management_requests(organisation, engineer, invitation):
    """Every management page and action of `organisation`: (method, url, data)."""
    member = Membership.objects.get(user=engineer, left_at__isnull=True)
    slug = organisation.slug
    return [
        ("get", reverse("community:organisation_members", kwargs={"slug": slug}), None),
        ("get", reverse("community:organisation_settings", kwargs={"slug": slug}), None),
        (
            "post",
            reverse("community:organisation_members", kwargs={"slug": slug}),
            {"email": "x@example.com", "role": "engineer"},
        ),
        ("post", reverse("community:organisation_settings", kwargs={"slug": slug}), {"name": "Taken over"}),
        (
            "post",
            reverse("community:member_role", kwargs={"slug": slug, "membership_id": member.pk}),
            {"role": "admin"},
        ),
        ("post", reverse("community:member_remove", kwargs={"slug": slug, "membership_id": member.pk}), {}),
        ("post", reverse("community:invitation_revoke", kwargs={"slug": slug, "invitation_id": invitation.pk}), {}),
        ("post", reverse("community:invitation_resend", kwargs={"slug": slug, "invitation_id": invitation.pk}), {}),
    ]


def _assert_nothing_changed(organisation, engineer, invitation):
    organisation.refresh_from_db()
    invitation.refresh_from_db()
    member = Membership.objects.get(user=engineer, organisation=organisation)
    assert organisation.name != "Taken over"
    assert (member.role, member.left_at) == ("engineer", None)
    assert invitation.revoked_at is None
    assert not Invitation.objects.filter(email="x@example.com").exists()


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_for_every_management_page(
    client, organisation, engineer, pending_invitation
):
    for method, url, data in _management_requests(organisation, engineer, pending_invitation):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    _assert_nothing_changed(organisation, engineer, pending_invitation)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["engineer", "other_admin"])
def test_non_admins_get_404_on_every_management_page(client, request, who, organisation, engineer, pending_invitation):
    client.force_login(request.getfixturevalue(who))
    for method, url, data in _management_requests(organisation, engineer, pending_invitation):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 404, (who, url)
    _assert_nothing_changed(organisation, engineer, pending_invitation)


@pytest.mark.django_db
def test_former_admin_loses_access_to_management_pages(client, organisation, partner_admin, engineer):
    services.membership_change_role(membership=Membership.objects.get(user=engineer), role="admin")
    services.membership_end(membership=Membership.objects.get(user=partner_admin))
    client.force_login(partner_admin)
    assert client.get(reverse("community:organisation_members", kwargs={"slug": organisation.slug})).status_code == 404


@pytest.mark.django_db
def test_admin_can_use_every_management_page(client, organisation, partner_admin, engineer, pending_invitation):
    client.force_login(partner_admin)
    for method, url, data in _management_requests(organisation, engineer, pending_invitation):
        response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302), url
        if method == "post" and "settings" not in url:
            assert response.status_code == 302, url


@pytest.mark.django_db
def test_admin_sees_the_team_with_members_and_pending_invitations(client, organisation, partner_admin, engineer):
    services.invitation_create(
        organisation=organisation, email="pending@example.com", role="engineer", invited_by=partner_admin
    )
    client.force_login(partner_admin)
    content = client.get(reverse("community:organisation_members", kwargs={"slug": organisation.slug})).content.decode()
    assert engineer.full_name in content
    assert engineer.email in content
    assert "pending@example.com" in content
    assert "Resend" in content and "Withdraw" in content


@pytest.mark.django_db
def test_team_page_shows_who_invited_each_member(client, organisation, partner_admin):
    person = UserFactory(email="invited@example.com")
    invitation = services.invitation_create(
        organisation=organisation, email=person.email, role="engineer", invited_by=partner_admin
    )
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=Invitation.hash_token("known-token"))
    services.invitation_accept(token="known-token", user=person)
    client.force_login(partner_admin)
    content = client.get(reverse("community:organisation_members", kwargs={"slug": organisation.slug})).content.decode()
    assert f"Invited by {partner_admin.full_name}" in content


@pytest.mark.django_db
def test_team_page_empty_states(client, organisation, partner_admin):
    client.force_login(partner_admin)
    content = client.get(reverse("community:organisation_members", kwargs={"slug": organisation.slug})).content.decode()
    assert "You are the only member so far." in content
    assert "No pending invitations." in content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["engineer", "other_admin", "partner_admin", "user"])
def test_overview_and_create_pages_are_open_to_every_signed_in_person(client, request, who):
    person = request.getfixturevalue(who)
    client.force_login(person)
    overview = client.get(reverse("community:organisation"))
    assert overview.status_code == 200
    current = Membership.objects.filter(user=person, left_at__isnull=True).first()
    if current:
        assert current.organisation.name in overview.content.decode()
        manage_link = reverse("community:organisation_members", kwargs={"slug": current.organisation.slug})
        assert (manage_link in overview.content.decode()) == (current.role == "admin")
    else:
        assert reverse("community:organisation_create") in overview.content.decode()
    assert client.get(reverse("community:organisation_create")).status_code == 200


@pytest.mark.django_db
def test_overview_create_and_leave_need_sign_in(client):
    for url in (reverse("community:organisation"), reverse("community:organisation_create")):
        assert client.get(url)["Location"].startswith(reverse("account_login"))
    assert client.post(reverse("community:organisation_leave"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_invitation_page_is_open_to_anyone_with_the_link_but_accepting_needs_sign_in(
    client, organisation, partner_admin
):
    services.invitation_create(
        organisation=organisation, email="pending@example.com", role="engineer", invited_by=partner_admin
    )
    Invitation.objects.update(token_hash=Invitation.hash_token("known-token"))
    url = reverse("community:invitation_accept", kwargs={"token": "known-token"})
    assert client.get(url).status_code == 200
    assert client.post(url)["Location"].startswith(reverse("account_login"))
    assert Invitation.objects.get().accepted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["engineer", "other_admin", "partner_admin"])
def test_invitation_accept_by_anyone_but_the_invitee_is_refused(client, request, who, organisation, partner_admin):
    services.invitation_create(
        organisation=organisation, email="invitee@example.com", role="admin", invited_by=partner_admin
    )
    Invitation.objects.update(token_hash=Invitation.hash_token("known-token"))
    url = reverse("community:invitation_accept", kwargs={"token": "known-token"})
    person = request.getfixturevalue(who)
    before = list(Membership.objects.filter(user=person).values_list("organisation_id", "role", "left_at"))
    client.force_login(person)
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert "Sign in with that address" in response.content.decode()
    assert list(Membership.objects.filter(user=person).values_list("organisation_id", "role", "left_at")) == before
    assert Invitation.objects.get().accepted_at is None


# --- Creating, roles, removal, leaving -------------------------------------------------------


@pytest.mark.django_db
def test_registering_a_company_makes_the_person_its_first_admin(client, user):
    client.force_login(user)
    response = client.post(
        reverse("community:organisation_create"),
        {"name": "Harbour Systems", "kind": "partner", "region": "apac", "country": "SG", "city": "Singapore"},
    )
    organisation = PartnerOrganisation.objects.get(name="Harbour Systems")
    assert response["Location"] == reverse("community:organisation_members", kwargs={"slug": organisation.slug})
    assert Membership.objects.get(user=user, left_at__isnull=True).role == "admin"


@pytest.mark.django_db
def test_registering_with_missing_fields_keeps_input_and_shows_errors(client, user):
    client.force_login(user)
    response = client.post(reverse("community:organisation_create"), {"name": "Half Done", "kind": "partner"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Half Done"' in content
    assert "errorlist" in content
    assert not PartnerOrganisation.objects.filter(name="Half Done").exists()


@pytest.mark.django_db
def test_admin_changes_a_role(client, organisation, partner_admin, engineer):
    member = Membership.objects.get(user=engineer)
    client.force_login(partner_admin)
    client.post(
        reverse("community:member_role", kwargs={"slug": organisation.slug, "membership_id": member.pk}),
        {"role": "admin"},
    )
    member.refresh_from_db()
    assert member.role == "admin"


@pytest.mark.django_db
def test_an_invalid_role_is_refused_with_a_message(client, organisation, partner_admin, engineer):
    member = Membership.objects.get(user=engineer)
    client.force_login(partner_admin)
    response = client.post(
        reverse("community:member_role", kwargs={"slug": organisation.slug, "membership_id": member.pk}),
        {"role": "owner"},
        follow=True,
    )
    assert "Choose a valid role." in response.content.decode()
    member.refresh_from_db()
    assert member.role == "engineer"


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted(client, organisation, partner_admin):
    member = Membership.objects.get(user=partner_admin)
    client.force_login(partner_admin)
    response = client.post(
        reverse("community:member_role", kwargs={"slug": organisation.slug, "membership_id": member.pk}),
        {"role": "engineer"},
        follow=True,
    )
    assert "at least one partner admin" in response.content.decode()
    member.refresh_from_db()
    assert member.role == "admin"


@pytest.mark.django_db
def test_last_admin_cannot_remove_themselves(client, organisation, partner_admin):
    member = Membership.objects.get(user=partner_admin)
    client.force_login(partner_admin)
    response = client.post(
        reverse("community:member_remove", kwargs={"slug": organisation.slug, "membership_id": member.pk}),
        follow=True,
    )
    assert "last partner admin" in response.content.decode()
    member.refresh_from_db()
    assert member.left_at is None


@pytest.mark.django_db
def test_last_admin_cannot_leave(client, partner_admin):
    client.force_login(partner_admin)
    response = client.post(reverse("community:organisation_leave"), follow=True)
    assert "last partner admin" in response.content.decode()
    assert Membership.objects.get(user=partner_admin).left_at is None


@pytest.mark.django_db
def test_an_admin_can_leave_once_someone_else_is_admin(client, partner_admin, engineer):
    services.membership_change_role(membership=Membership.objects.get(user=engineer), role="admin")
    client.force_login(partner_admin)
    client.post(reverse("community:organisation_leave"))
    assert Membership.objects.get(user=partner_admin).left_at is not None


@pytest.mark.django_db
def test_removal_ends_the_membership_but_keeps_its_history(client, organisation, partner_admin, engineer):
    member = Membership.objects.get(user=engineer)
    client.force_login(partner_admin)
    client.post(reverse("community:member_remove", kwargs={"slug": organisation.slug, "membership_id": member.pk}))
    member.refresh_from_db()
    assert member.left_at is not None
    assert Membership.objects.filter(user=engineer, organisation=organisation).exists()
    content = client.get(reverse("community:organisation_members", kwargs={"slug": organisation.slug})).content.decode()
    current, former = content.split('id="former-heading"')
    assert engineer.email not in current
    assert engineer.email in former  # listed under former members


@pytest.mark.django_db
def test_an_engineer_leaves_and_keeps_their_history(client, engineer, organisation):
    client.force_login(engineer)
    response = client.post(reverse("community:organisation_leave"), follow=True)
    assert "stay with you" in response.content.decode()
    membership = Membership.objects.get(user=engineer)
    assert membership.left_at is not None and membership.organisation == organisation


@pytest.mark.django_db
def test_a_person_has_at_most_one_current_membership(engineer):
    other = OrganisationFactory()
    services.membership_start(organisation=other, user=engineer, role="engineer")
    assert Membership.objects.filter(user=engineer, left_at__isnull=True).count() == 1
    with pytest.raises(Exception):  # noqa: B017 - the database constraint itself
        Membership.objects.create(user=engineer, organisation=OrganisationFactory(), role="engineer")


@pytest.mark.django_db
def test_membership_changes_are_announced_after_commit(engineer, organisation, django_capture_on_commit_callbacks):
    from community.signals import membership_changed

    seen = []

    def receiver(sender, membership, change, **kwargs):
        seen.append((membership.user_id, change))

    membership_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.membership_change_role(membership=Membership.objects.get(user=engineer), role="admin")
    finally:
        membership_changed.disconnect(receiver)
    assert seen == [(engineer.pk, "role_changed")]


@pytest.mark.django_db
def test_unknown_role_is_refused_by_the_service(engineer):
    with pytest.raises(ValidationError):
        services.membership_change_role(membership=Membership.objects.get(user=engineer), role="owner")


# --- Escaping user-written text --------------------------------------------------------------

NASTY_ORG = '<script>alert("org")</script>'
NASTY_NAME = '<img src=x onerror=alert("name")>'


@pytest.mark.django_db
def test_organisation_and_person_names_are_escaped_on_every_page(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    organisation = OrganisationFactory(name=NASTY_ORG)
    admin = MembershipFactory(organisation=organisation, role="admin", user=UserFactory(full_name=NASTY_NAME)).user
    MembershipFactory(organisation=organisation, user=UserFactory(full_name=NASTY_NAME + "2"))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            organisation=organisation, email="guest@example.com", role="engineer", invited_by=admin
        )
    Invitation.objects.update(token_hash=Invitation.hash_token("known-token"))

    client.force_login(admin)
    pages = [
        reverse("community:organisation"),
        reverse("community:organisation_members", kwargs={"slug": organisation.slug}),
        reverse("community:organisation_settings", kwargs={"slug": organisation.slug}),
        reverse("community:profile"),
        reverse("account_email"),
        reverse("community:invitation_accept", kwargs={"token": "known-token"}),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, url
        assert "<img src=x" not in content, url
        assert "&lt;script&gt;" in content or "&lt;img src=x" in content, url

    client.logout()
    content = client.get(reverse("community:invitation_accept", kwargs={"token": "known-token"})).content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert" in content

    html = mailoutbox[-1].alternatives[0][0]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_members_page_query_count_does_not_grow_with_members(client, organisation, partner_admin, count_queries):
    def grow_to(total):
        while Membership.objects.filter(organisation=organisation, left_at__isnull=True).count() < total:
            membership = MembershipFactory(organisation=organisation)
            invitation = services.invitation_create(
                organisation=organisation,
                email=f"p{membership.pk}@example.com",
                role="engineer",
                invited_by=partner_admin,
            )
            Invitation.objects.filter(pk=invitation.pk).update(accepted_by=membership.user)

    url = reverse("community:organisation_members", kwargs={"slug": organisation.slug})
    client.force_login(partner_admin)
    grow_to(3)
    client.get(url)  # warm up
    with count_queries() as few:
        assert client.get(url).status_code == 200
    grow_to(30)
    for membership in Membership.objects.filter(organisation=organisation, role="engineer")[:5]:
        services.membership_end(membership=membership)  # former members are listed too
    grow_to(30)
    with count_queries() as many:
        response = client.get(url)
    assert response.content.decode().count('class="person"') == 35  # 30 current, 5 former
    assert len(few) == len(many), many.sql()
    many.assert_at_most(12)


@pytest.mark.django_db
def test_last_admin_registering_another_company_is_refused_and_nothing_is_created(client, partner_admin):
    client.force_login(partner_admin)
    response = client.post(
        reverse("community:organisation_create"),
        {"name": "Second Company", "kind": "partner", "region": "eu", "country": "FR"},
        follow=True,
    )
    assert "last partner admin" in response.content.decode()
    assert not PartnerOrganisation.objects.filter(name="Second Company").exists()
    assert Membership.objects.get(user=partner_admin).left_at is None


@pytest.mark.django_db
def test_an_accepted_invitation_cannot_be_withdrawn(client, organisation, partner_admin):
    person = UserFactory(email="joined@example.com")
    invitation = services.invitation_create(
        organisation=organisation, email=person.email, role="engineer", invited_by=partner_admin
    )
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=Invitation.hash_token("known-token"))
    services.invitation_accept(token="known-token", user=person)
    client.force_login(partner_admin)
    response = client.post(
        reverse("community:invitation_revoke", kwargs={"slug": organisation.slug, "invitation_id": invitation.pk}),
        follow=True,
    )
    assert "already accepted" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.django_db
def test_inviting_with_an_unknown_role_is_refused_by_the_service(organisation, partner_admin):
    with pytest.raises(ValidationError):
        services.invitation_create(
            organisation=organisation, email="x@example.com", role="owner", invited_by=partner_admin
        )


@pytest.mark.django_db
def test_overview_query_count_does_not_grow_with_invitations_for_the_person(client, count_queries, user):
    def invite_from_new_organisations(count):
        for _ in range(count):
            organisation = OrganisationFactory()
            admin = MembershipFactory(organisation=organisation, role="admin").user
            services.invitation_create(organisation=organisation, email=user.email, role="engineer", invited_by=admin)

    url = reverse("community:organisation")
    client.force_login(user)
    invite_from_new_organisations(1)
    client.get(url)  # warm up
    with count_queries() as few:
        client.get(url)
    invite_from_new_organisations(10)
    with count_queries() as many:
        response = client.get(url)
    assert response.content.decode().count("invited you as") == 11
    assert len(few) == len(many), many.sql()
    many.assert_at_most(10)


@pytest.mark.django_db
def test_engineers_see_who_their_partner_admins_are(client, engineer, partner_admin):
    client.force_login(engineer)
    content = client.get(reverse("community:organisation")).content.decode()
    assert f'href="mailto:{partner_admin.email}"' in content
    assert partner_admin.full_name in content


@pytest.mark.django_db
def test_a_big_team_is_listed_fifty_at_a_time_and_searched_by_name_or_email(client, organisation, partner_admin):
    MembershipFactory.create_batch(60, organisation=organisation)
    MembershipFactory(organisation=organisation, user__full_name="Zoë <Qwyzzle>", user__email="zq@example.com")
    url = reverse("community:organisation_members", kwargs={"slug": organisation.slug})
    client.force_login(partner_admin)

    first = client.get(url).content.decode()
    assert first.count('class="person"') == 50
    assert 'badge-neutral">62<' in first and "Page 1 of 2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('class="person"') == 12

    found = client.get(url, {"q": "qwyzzle"}).content.decode()
    assert found.count('class="person"') == 1 and "Zoë &lt;Qwyzzle&gt;" in found
    assert client.get(url, {"q": "ZQ@EXAMPLE"}).content.decode().count('class="person"') == 1
    nobody = client.get(url, {"q": "<b>nobody</b>"}).content.decode()
    assert "&lt;b&gt;nobody&lt;/b&gt;" in nobody and nobody.count('class="person"') == 0
    assert client.get(url, {"page": "999"}).status_code == 200
