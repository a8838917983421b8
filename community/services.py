"""Writes for users, organisations, memberships, invitations and vendors. Each function is one
transaction and the only place its rule lives; views and other apps call these."""

import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page

from community.handles import handle_base, handle_first_free
from community.models import Invitation, Membership, PartnerOrganisation, User, Vendor
from community.signals import membership_changed


def _unique_slug(model, name: str) -> str:
    base = slugify(name, allow_unicode=False)[:140] or "organisation"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _lock_current_admins(organisation: PartnerOrganisation) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .current()
        .filter(organisation=organisation, role=Membership.Role.ADMIN)
        .order_by("pk")
    )


def _announce(membership: Membership, change: str) -> None:
    transaction.on_commit(lambda: membership_changed.send(sender=Membership, membership=membership, change=change))


@transaction.atomic
def organisation_create(*, admin: User | None = None, **fields) -> PartnerOrganisation:
    """Create an organisation; `admin`, when given, becomes its first partner admin (leaving
    any organisation they belonged to)."""
    fields.setdefault("slug", _unique_slug(PartnerOrganisation, fields["name"]))
    organisation = PartnerOrganisation(**fields)
    organisation.full_clean()
    organisation.save()
    if admin is not None:
        membership_start(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def organisation_update(*, organisation: PartnerOrganisation, **fields) -> PartnerOrganisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save(update_fields=list(fields))
    return organisation


@transaction.atomic
def membership_start(*, organisation: PartnerOrganisation, user: User, role: str) -> Membership:
    """Make `user` a current member of `organisation`. A person belongs to one organisation at a
    time, so a current membership elsewhere ends first (refused if they are its last admin)."""
    current = Membership.objects.select_for_update().current().filter(user=user).first()
    if current is not None:
        if current.organisation_id == organisation.pk:
            if current.role != role:
                return membership_change_role(membership=current, role=role)
            return current
        membership_end(membership=current)
    membership = Membership.objects.create(organisation=organisation, user=user, role=role)
    _announce(membership, "joined")
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Change a current member's role; the last admin cannot be demoted."""
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    admins = _lock_current_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.left_at is not None:
        raise ValidationError(_("This person is no longer a member."))
    if membership.role == role:
        return membership
    if membership.role == Membership.Role.ADMIN and len(admins) == 1:
        raise ValidationError(_("An organisation needs at least one partner admin. Make someone else an admin first."))
    membership.role = role
    membership.save(update_fields=["role"])
    _announce(membership, "role_changed")
    return membership


@transaction.atomic
def membership_end(*, membership: Membership) -> Membership:
    """End a membership (a member leaving or being removed). The row stays as history; the
    person's own certificates and progress are theirs and are untouched. The last admin
    cannot leave."""
    admins = _lock_current_admins(membership.organisation)
    membership.refresh_from_db()
    if membership.left_at is not None:
        return membership
    if membership.role == Membership.Role.ADMIN and len(admins) == 1:
        raise ValidationError(
            _("You are the last partner admin of %(organisation)s. Make someone else an admin first.")
            % {"organisation": membership.organisation.name}
        )
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    _announce(membership, "left")
    return membership


@transaction.atomic
def invitation_create(*, organisation: PartnerOrganisation, email: str, role: str, invited_by: User) -> Invitation:
    """Invite `email` to `organisation` and e-mail the link (after commit, through a task).
    A pending invitation to the same address is replaced so only the newest link works."""
    from community.tasks import invitation_send

    email = email.strip().lower()
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    if Membership.objects.current().filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError(
            _("%(email)s is already a member of %(organisation)s.")
            % {"email": email, "organisation": organisation.name}
        )
    now = timezone.now()
    Invitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=Invitation.hash_token(token),
        invited_by=invited_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    transaction.on_commit(lambda: invitation_send.delay(invitation_id=invitation.pk, token=token))
    return invitation


class InvitationError(ValidationError):
    """Why an invitation link cannot be used: `code` is "unknown", "expired", "used" or "revoked"."""


def invitation_validate(*, token: str) -> Invitation:
    """The invitation behind a link, or InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Check that you copied the whole link."), code="unknown"
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            _("This invitation has already been used. Ask your partner admin for a new one."), code="used"
        )
    if invitation.revoked_at is not None:
        raise InvitationError(
            _("This invitation was withdrawn or replaced by a newer one. Use the newest e-mail or ask for a new one."),
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Ask your partner admin to send a new one."), code="expired"
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Accept an invitation: single use, before expiry, by an account with the invited address
    (the link went to that mailbox, so holding it proves the address)."""
    invitation = invitation_validate(token=token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_validate(token=token)  # re-check under the lock: a concurrent accept wins once
    if invitation.email.lower() != user.email.lower():
        raise InvitationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="wrong_user",
        )
    membership = membership_start(organisation=invitation.organisation, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def invitation_resend(*, invitation: Invitation, invited_by: User) -> Invitation:
    """Send a pending invitation again with a fresh link and a new expiry date. Only a hash of
    the old token is stored, so the old link cannot be re-sent; it stops working instead."""
    current = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not current.is_pending:
        raise ValidationError(_("This invitation is no longer pending. Send a new one instead."))
    return invitation_create(
        organisation=invitation.organisation, email=invitation.email, role=invitation.role, invited_by=invited_by
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation so its link stops working. Withdrawing twice is harmless; an
    invitation that was already accepted cannot be withdrawn (remove the member instead)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation was already accepted. Remove the member instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitations_purge(*, older_than_days: int = 90) -> int:
    """Delete invitations that expired unused (or were revoked) long ago; returns how many.
    Accepted invitations stay: they record who invited whom."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    deleted, _detail = Invitation.objects.filter(expires_at__lt=cutoff, accepted_at__isnull=True).delete()
    return deleted


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    """Set the given profile fields and save them, all or none: a failure while saving (in a
    receiver of the save, say) leaves the stored profile as it was."""
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    return user


# Permissions a vendor's staff need in the Wagtail admin; later features add their own models.
VENDOR_STAFF_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("community", "add_product"),
    ("community", "change_product"),
    ("community", "view_product"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    # Translate their academy's pages from a page's action menu (Wagtail's simple translation).
    ("simple_translation", "submit_translation"),
]


@transaction.atomic
def vendor_ensure_groups(*, vendor: Vendor) -> Vendor:
    """Give the vendor its two Wagtail groups (staff; programme managers), idempotently, with
    the admin permissions staff need. Called whenever a vendor is saved."""
    changed = []
    if vendor.staff_group_id is None:
        vendor.staff_group, _created = Group.objects.get_or_create(name=f"{vendor.name} staff")
        changed.append("staff_group")
    if vendor.manager_group_id is None:
        vendor.manager_group, _created = Group.objects.get_or_create(name=f"{vendor.name} programme managers")
        changed.append("manager_group")
    if changed:
        Vendor.objects.filter(pk=vendor.pk).update(**{name: getattr(vendor, name) for name in changed})
    for group in (vendor.staff_group, vendor.manager_group):
        for app_label, codename in VENDOR_STAFF_PERMISSIONS:
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is not None:
                group.permissions.add(permission)
    return vendor


def users_ensure(*, people: dict[str, str], language: str = "en") -> tuple[dict[str, User], set[str]]:
    """The accounts of these e-mail addresses (`people` maps each, lower-cased, to a full name),
    creating without a password, in one insert, those that have none; returns them by address and
    the addresses created. A new account signs in once its holder has chosen a password through
    the password-reset link. Handles are found as `User.save` finds them; should another insert
    take one meanwhile, each account is saved on its own instead."""
    found = {user.email.lower(): user for user in User.objects.filter(email__in=list(people))}
    missing = [email for email in people if email not in found]
    if not missing:
        return found, set()
    bases = {email: handle_base(full_name=people[email], email=email) for email in missing}
    starts = Q()
    for base in set(bases.values()):
        starts |= Q(handle__startswith=base)
    taken = {handle.lower() for handle in User.objects.filter(starts).values_list("handle", flat=True)}
    new = []
    for email in missing:
        handle = handle_first_free(base=bases[email], taken=taken.__contains__)
        taken.add(handle)
        user = User(email=email, full_name=people[email], handle=handle, preferred_language=language)
        user.set_unusable_password()
        new.append(user)
    try:
        with transaction.atomic():
            User.objects.bulk_create(new)
    except IntegrityError:
        for user in new:
            user.handle = ""
            user.save()
    found.update((user.email, user) for user in new)
    return found, set(missing)


@transaction.atomic
def vendor_staff_add(*, vendor: Vendor, user: User, manager: bool = False) -> None:
    """Make `user` staff of `vendor` (and a programme manager when `manager`)."""
    vendor_ensure_groups(vendor=vendor)
    user.groups.add(vendor.staff_group)
    if manager:
        user.groups.add(vendor.manager_group)


def site_sync_with_settings() -> Site:
    """Give the Sites framework's site (SITE_ID), which allauth's e-mails name, the site's name
    (WAGTAIL_SITE_NAME) and the host of SITE_URL, so that neither reads "example.com" or a
    development address left from an earlier migrate."""
    site, _created = Site.objects.update_or_create(
        pk=settings.SITE_ID,
        defaults={"name": settings.WAGTAIL_SITE_NAME, "domain": urlsplit(settings.SITE_URL).netloc or "localhost"},
    )
    Site.objects.clear_cache()
    return site


@transaction.atomic
def page_translation_ensure(*, page: Page, language: str, fields: dict | None = None, publish: bool = True) -> Page:
    """`page`'s translation into `language`: Wagtail's copy of it in that language's locale,
    sharing its translation key, under the parent's translation (which must exist, so a tree is
    translated from the top down), with `fields` (translated field values) set on it and
    published when `publish`. Returns the existing translation unchanged if there is one, so the
    demo can run again."""
    locale, _created = Locale.objects.get_or_create(language_code=language)
    existing = page.get_translations().filter(locale=locale).specific().first()
    if existing is not None:
        return existing
    translation = page.specific.copy_for_translation(locale)
    for name, value in (fields or {}).items():
        setattr(translation, name, value)
    translation.save()
    revision = translation.save_revision()
    if publish:
        revision.publish()
        translation.refresh_from_db()  # publishing wrote `live` and the dates to the row
    return translation
