"""Site pages for people and partner organisations. Views parse input, call one service and
render; every organisation management page 404s for anyone but that organisation's admins."""

import copy
from urllib.parse import urlsplit

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from community import selectors, services
from community.errors import error_text
from community.forms import InvitationForm, OrganisationForm, ProfileForm, RoleForm
from community.models import Membership

MEMBERS_PER_PAGE = 50


def _managed_organisation(request, slug):
    organisation = selectors.organisation_managed_by(user=request.user, slug=slug)
    if organisation is None:
        raise Http404
    return organisation


@require_POST
def set_language(request):
    """Switch the interface language; signed-in people keep the choice as their preference."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_update_profile(user=request.user, preferred_language=language)
    # Django moves `next` to the chosen language's prefix by resolving it in the active language:
    # activate the one its own prefix names, whichever address the switcher posted to.
    next_path = urlsplit(request.POST.get("next", "")).path
    with translation.override(translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE):
        return django_set_language(request)


@login_required
def profile(request):
    # A copy, so a rejected form does not leave half-edited names on the signed-in user (the header shows them).
    form = ProfileForm(request.POST or None, instance=copy.copy(request.user))
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **{name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, _("Your profile was saved."))
        return redirect("community:profile")
    return render(request, "community/profile.html", {"form": form})


@login_required
def organisation_overview(request):
    membership = selectors.membership_current(user=request.user)
    return render(
        request,
        "community/organisation_overview.html",
        {
            "membership": membership,
            "admins": selectors.organisation_admins(organisation=membership.organisation) if membership else [],
            "invitations": selectors.invitations_pending_for(user=request.user),
        },
    )


@login_required
def organisation_create(request):
    membership = selectors.membership_current(user=request.user)
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(admin=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("%(name)s is registered. Invite your engineers next.") % {"name": organisation.name}
            )
            return redirect("community:organisation_members", slug=organisation.slug)
    return render(
        request, "community/organisation_form.html", {"form": form, "membership": membership, "creating": True}
    )


@login_required
def organisation_settings(request, slug):
    organisation = _managed_organisation(request, slug)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Organisation details saved."))
        return redirect("community:organisation_members", slug=organisation.slug)
    return render(request, "community/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def organisation_members(request, slug):
    organisation = _managed_organisation(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error_text(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("community:organisation_members", slug=organisation.slug)
    # A big team is read a page at a time and searched by name or e-mail.
    search = request.GET.get("q", "").strip()[:100]
    members = Paginator(
        selectors.organisation_members(organisation=organisation, search=search), MEMBERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    member_count = (
        selectors.organisation_members(organisation=organisation).count() if search else members.paginator.count
    )
    return render(
        request,
        "community/organisation_members.html",
        {
            "organisation": organisation,
            "members": members,
            "member_count": member_count,
            "search": search,
            "invitations": selectors.organisation_pending_invitations(organisation=organisation),
            "former_members": selectors.organisation_former_members(organisation=organisation),
            "form": form,
            "roles": Membership.Role.choices,
            "invitation_valid_days": settings.INVITATION_VALID_DAYS,
        },
    )


def _perform(request, action, success) -> bool:
    """Run one service call; show its refusal (a ValidationError) or `success()` as a message.
    `success` is called after the action, so it can describe the new state."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error_text(error))
        return False
    messages.success(request, success())
    return True


def _managed_member(request, slug, membership_id):
    organisation = _managed_organisation(request, slug)
    membership = selectors.organisation_member(organisation=organisation, membership_id=membership_id)
    if membership is None:
        raise Http404
    return organisation, membership


def _managed_invitation(request, slug, invitation_id):
    organisation = _managed_organisation(request, slug)
    invitation = selectors.organisation_invitation(organisation=organisation, invitation_id=invitation_id)
    if invitation is None:
        raise Http404
    return organisation, invitation


@login_required
@require_POST
def member_role(request, slug, membership_id):
    organisation, membership = _managed_member(request, slug, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        _perform(
            request,
            lambda: services.membership_change_role(membership=membership, role=form.cleaned_data["role"]),
            lambda: (
                _("%(name)s is now %(role)s.")
                % {"name": membership.user.full_name, "role": membership.get_role_display()}
            ),
        )
    return redirect("community:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    organisation, membership = _managed_member(request, slug, membership_id)
    removed = _perform(
        request,
        lambda: services.membership_end(membership=membership),
        lambda: (
            _("%(name)s was removed from %(organisation)s.")
            % {"name": membership.user.full_name, "organisation": organisation.name}
        ),
    )
    if removed and membership.user_id == request.user.pk:
        return redirect("community:organisation")
    return redirect("community:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    organisation, invitation = _managed_invitation(request, slug, invitation_id)
    _perform(
        request,
        lambda: services.invitation_revoke(invitation=invitation),
        lambda: _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
    )
    return redirect("community:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def invitation_resend(request, slug, invitation_id):
    organisation, invitation = _managed_invitation(request, slug, invitation_id)
    _perform(
        request,
        lambda: services.invitation_resend(invitation=invitation, invited_by=request.user),
        lambda: (
            _("A new invitation link was sent to %(email)s. The old link no longer works.")
            % {"email": invitation.email}
        ),
    )
    return redirect("community:organisation_members", slug=organisation.slug)


@login_required
@require_POST
def organisation_leave(request):
    membership = selectors.membership_current(user=request.user)
    if membership is not None:
        _perform(
            request,
            lambda: services.membership_end(membership=membership),
            lambda: (
                _("You left %(organisation)s. Your certificates and progress stay with you.")
                % {"organisation": membership.organisation.name}
            ),
        )
    return redirect("community:organisation")


def invitation_accept(request, token):
    """The link from an invitation e-mail. Anyone with the link sees what it is for; accepting
    needs an account with the invited address. Signing up from here skips e-mail verification,
    because following the link already proved the address."""
    try:
        invitation = services.invitation_validate(token=token)
    except services.InvitationError as error:
        return render(
            request,
            "community/invitation_invalid.html",
            {"error": error},
            status=410 if error.code != "unknown" else 404,
        )

    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            services.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(request.path)
        messages.success(request, _("Welcome to %(organisation)s.") % {"organisation": invitation.organisation.name})
        return redirect("community:organisation")

    if not request.user.is_authenticated:
        get_adapter(request).stash_verified_email(request, invitation.email)
    has_account = selectors.user_exists(email=invitation.email)
    return render(
        request,
        "community/invitation_accept.html",
        {
            "invitation": invitation,
            "has_account": has_account,
            "next_url": request.path,
            "current_membership": selectors.membership_current(user=request.user),
        },
    )
