"""Who may do what in the forums: the one place every view asks. A moderator is anyone holding
the `forums.moderate_forums` permission (the demo's "Moderators" group has it; superusers have
every permission). Vendor staff are members of a vendor's staff or programme-manager group.
A signed-in partner is a signed-in person with a current organisation membership, or vendor
staff, or a moderator."""

from functools import cached_property

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

from community import selectors as community_selectors
from community.models import Membership
from forums.models import Category, Post, Topic

MODERATE_PERMISSION = "forums.moderate_forums"


class ForumPermissions:
    """Answers for one person, computed lazily once per request (a handful of queries at most,
    none per object)."""

    def __init__(self, user):
        self.user = user

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    @cached_property
    def is_moderator(self) -> bool:
        return self.is_authenticated and self.user.is_active and self.user.has_perm(MODERATE_PERMISSION)

    @cached_property
    def staff_vendor_ids(self) -> frozenset[int]:
        if not self.is_authenticated:
            return frozenset()
        return frozenset(community_selectors.vendors_for_staff(user=self.user).values_list("pk", flat=True))

    @property
    def is_vendor_staff(self) -> bool:
        return bool(self.staff_vendor_ids)

    @cached_property
    def is_partner(self) -> bool:
        if not self.is_authenticated:
            return False
        if self.is_moderator or self.is_vendor_staff:
            return True
        return community_selectors.membership_current(user=self.user) is not None

    # --- seeing -----------------------------------------------------------------------------
    def visible_categories_q(self) -> Q:
        """A filter on Category for the categories this person may read."""
        if self.is_moderator:
            return Q()
        q = Q(visibility=Category.Visibility.PUBLIC)
        if self.is_partner:
            q |= Q(visibility=Category.Visibility.PARTNERS)
        if self.is_vendor_staff:
            q |= Q(visibility=Category.Visibility.STAFF, product__isnull=True)
            q |= Q(visibility=Category.Visibility.STAFF, product__vendor_id__in=self.staff_vendor_ids)
        return q

    def can_see_category(self, category: Category) -> bool:
        if self.is_moderator or category.visibility == Category.Visibility.PUBLIC:
            return True
        if category.visibility == Category.Visibility.PARTNERS:
            return self.is_partner
        if category.product_id is None:
            return self.is_vendor_staff
        return category.product.vendor_id in self.staff_vendor_ids

    def can_see_topic(self, topic: Topic) -> bool:
        if not self.can_see_category(topic.category):
            return False
        if topic.is_hidden:
            return self.is_moderator
        if topic.awaiting_approval:
            return self.is_moderator or self.is_author(topic.author_id)
        return True

    def can_read_post_body(self, post: Post) -> bool:
        """Hidden, deleted and unapproved posts show as a placeholder to everyone else."""
        if post.is_visible:
            return True
        if self.is_moderator:
            return True
        return not post.is_hidden and not post.is_deleted and self.is_author(post.author_id)

    # --- writing ----------------------------------------------------------------------------
    def is_author(self, author_id: int) -> bool:
        return self.is_authenticated and self.user.pk == author_id

    def can_start_topic(self, category: Category) -> bool:
        return self.is_partner and self.can_see_category(category)

    def can_reply(self, topic: Topic) -> bool:
        if not (self.is_partner and self.can_see_topic(topic)):
            return False
        return self.is_moderator or not topic.is_locked

    def can_edit_post(self, post: Post) -> bool:
        if self.is_moderator:
            return True
        if post.is_deleted or post.is_hidden or post.topic.is_locked:
            return False
        return self.is_author(post.author_id)

    def can_delete_post(self, post: Post) -> bool:
        return self.is_author(post.author_id) and not post.is_deleted and post.number > 1

    def can_vote(self, post: Post) -> bool:
        return self.is_partner and post.is_visible and not self.is_author(post.author_id)

    def can_flag(self, post: Post) -> bool:
        return self.is_authenticated and post.is_visible and not self.is_author(post.author_id)

    def can_accept(self, topic: Topic) -> bool:
        if topic.kind != Topic.Kind.QUESTION:
            return False
        return self.is_moderator or (self.is_author(topic.author_id) and not topic.is_locked)

    def can_follow(self) -> bool:
        return self.is_authenticated

    def can_moderate(self) -> bool:
        return self.is_moderator

    def can_see_history(self) -> bool:
        return self.is_moderator

    def skips_approval_and_rate_limit(self) -> bool:
        return self.is_moderator or self.is_vendor_staff


def readers_of(category: Category) -> QuerySet:
    """Everyone who may read `category`, as one User queryset (for choosing whom to notify
    without asking the handler once per person). Mirrors ForumPermissions.can_see_category."""
    users = get_user_model().objects.filter(is_active=True)
    if category.visibility == Category.Visibility.PUBLIC:
        return users
    moderate = Permission.objects.filter(content_type__app_label="forums", codename="moderate_forums").values("pk")
    moderator = Q(is_superuser=True) | Q(user_permissions__in=moderate) | Q(groups__permissions__in=moderate)
    if category.visibility == Category.Visibility.STAFF and category.product_id:
        vendor_id = category.product.vendor_id
        staff = Q(groups__vendor_staff_of=vendor_id) | Q(groups__vendor_managers_of=vendor_id)
    else:
        staff = Q(groups__vendor_staff_of__isnull=False) | Q(groups__vendor_managers_of__isnull=False)
    allowed = moderator | staff
    if category.visibility == Category.Visibility.PARTNERS:
        allowed |= Q(Exists(Membership.objects.current().filter(user=OuterRef("pk"))))
    return users.filter(pk__in=get_user_model().objects.filter(allowed).values("pk"))


def forum_permissions(request) -> ForumPermissions:
    """The request's permission handler (built once and kept on the request)."""
    handler = getattr(request, "_forum_permissions", None)
    if handler is None:
        handler = request._forum_permissions = ForumPermissions(request.user)
    return handler
