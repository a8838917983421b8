"""Reads for the forum pages, shaped so each page runs a fixed number of queries however many
topics or posts there are: pages are sliced in SQL, per-author facts (organisation, badges,
staff and moderator marks) come in one query each for all authors on the page."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from wagtail.search.backends import get_search_backend

from certifications.certificates import selectors as certificate_selectors
from community.models import Membership, User
from community.models.organisations import membership_current_q
from forums.models import (
    POSTS_PER_PAGE,
    Category,
    EmailPreference,
    Flag,
    ModerationAction,
    Notification,
    Post,
    PostRevision,
    Subscription,
    Topic,
    TopicReadState,
    Vote,
)
from forums.permissions import ForumPermissions, readers_of

MENTION_CANDIDATES = 8

LIST_FILTERS = ("unanswered", "solved")


def categories_visible(*, permissions: ForumPermissions) -> QuerySet[Category]:
    return Category.objects.filter(permissions.visible_categories_q()).select_related("product__vendor")


def category_by_slug(*, slug: str) -> Category | None:
    return Category.objects.select_related("product__vendor").filter(slug=slug).first()


def topics_listed(*, permissions: ForumPermissions, category: Category | None = None) -> QuerySet[Topic]:
    """Topics this person may see in lists: visible categories (or `category`, which the caller
    has found visible), not hidden, merged or waiting (moderators also see hidden ones)."""
    if category is not None:
        topics = Topic.objects.filter(category=category)
    else:
        # The ids as a list, not a subquery: joined as a semi-join to the lists' other joins, the
        # subquery took PostgreSQL ten times longer to plan than the whole query then took to run.
        visible = list(categories_visible(permissions=permissions).values_list("pk", flat=True))
        topics = Topic.objects.filter(category_id__in=visible)
    topics = topics.filter(merged_into__isnull=True, awaiting_approval=False)
    if not permissions.is_moderator:
        topics = topics.filter(is_hidden=False)
    return topics


def _with_list_facts(topics: QuerySet[Topic], *, user: User) -> QuerySet[Topic]:
    topics = topics.select_related("author", "last_poster", "category", "product")
    if user.is_authenticated:
        read = TopicReadState.objects.filter(user=user, topic=OuterRef("pk")).values("last_read_number")[:1]
        topics = topics.annotate(read_up_to=Coalesce(Subquery(read), 0))
    return topics


def category_topics(*, category: Category, user: User, permissions: ForumPermissions, filter: str = "") -> QuerySet:
    topics = topics_listed(permissions=permissions, category=category)
    if filter == "unanswered":
        topics = topics.filter(kind=Topic.Kind.QUESTION, reply_count=0)
    elif filter == "solved":
        topics = topics.filter(is_solved=True)
    return _with_list_facts(topics, user=user).order_by("-is_pinned", "-last_activity_at", "-pk")


def collaboration_topics(*, user: User, permissions: ForumPermissions) -> QuerySet[Topic]:
    topics = topics_listed(permissions=permissions).filter(kind=Topic.Kind.COLLABORATION)
    return _with_list_facts(topics, user=user).select_related("product__vendor").order_by("-last_activity_at", "-pk")


def recent_topics(*, user: User, permissions: ForumPermissions, limit: int = 8) -> list[Topic]:
    topics = _with_list_facts(topics_listed(permissions=permissions), user=user)
    return list(topics.order_by("-last_activity_at")[:limit])


def category_best_answers(*, category: Category, permissions: ForumPermissions, limit: int = 5) -> list[Post]:
    """The highest-voted accepted answers in a category (a product's best knowledge)."""
    topics = topics_listed(permissions=permissions, category=category).filter(is_solved=True)
    return list(
        Post.objects.filter(pk__in=topics.values("accepted_post_id"))
        .filter(Post.visible_q())
        .select_related("topic", "author")
        .order_by("-score", "-created_at")[:limit]
    )


def topic_for_page(*, topic_id: int) -> Topic | None:
    """The topic with what every one of its pages shows. Each join costs every view of every page
    (planning and building the rows: 3 ms with the accepted answer and the category's product,
    1.4 ms without), so the accepted answer is read by `accepted_answer`, on the first page of a
    solved topic only; a merged topic's target is only read to redirect to it."""
    return Topic.objects.select_related("category", "product__vendor").filter(pk=topic_id).order_by().first()


def accepted_answer(*, topic: Topic) -> Post | None:
    if not topic.accepted_post_id:
        return None
    return Post.objects.select_related("author").filter(pk=topic.accepted_post_id).first()


def post_with_topic(*, post_id: int) -> Post | None:
    return Post.objects.select_related("topic__category__product", "author").filter(pk=post_id).first()


def topic_posts_page(*, topic: Topic, page: int) -> list[Post]:
    """One page of posts by number range (numbers are dense, so no OFFSET or COUNT is needed).
    The LIMIT changes nothing in the result but tells PostgreSQL it is a page: without it, in a
    long topic it expects hundreds of rows and merge-joins every user (14 ms instead of 0.1)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    return list(
        Post.objects.filter(topic=topic, number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author")
        .order_by("number")[:POSTS_PER_PAGE]
    )


@dataclass
class AuthorFacts:
    organisation: str = ""
    badges: list = field(default_factory=list)
    is_vendor_staff: bool = False
    is_moderator: bool = False


def author_facts(*, user_ids) -> dict[int, AuthorFacts]:
    """Trust marks for everyone in `user_ids` in a fixed number of queries: current organisation,
    certification badges, vendor staff and moderator."""
    ids = set(user_ids)
    if not ids:
        return {}
    facts = {pk: AuthorFacts() for pk in ids}
    for user_id, name in (
        Membership.objects.current().filter(user_id__in=ids).values_list("user_id", "organisation__name")
    ):
        facts[user_id].organisation = name
    for user_id, badges in certificate_selectors.certification_badges_for_users(user_ids=ids).items():
        if user_id in facts:
            facts[user_id].badges = badges
    vendor_group = Q(group__vendor_staff_of__isnull=False) | Q(group__vendor_managers_of__isnull=False)
    moderate = Permission.objects.filter(content_type__app_label="forums", codename="moderate_forums").values("pk")
    rows = (
        User.objects.filter(pk__in=ids)
        .annotate(
            staff=Exists(User.groups.through.objects.filter(vendor_group, user_id=OuterRef("pk"))),
            moderator=Exists(
                User.groups.through.objects.filter(user_id=OuterRef("pk"), group__permissions__in=moderate).values("pk")
            )
            | Exists(User.user_permissions.through.objects.filter(user_id=OuterRef("pk"), permission_id__in=moderate)),
        )
        .values_list("pk", "staff", "moderator", "is_superuser")
    )
    for pk, staff, moderator, superuser in rows:
        facts[pk].is_vendor_staff = staff
        facts[pk].is_moderator = moderator or superuser
    return facts


def votes_by(*, user: User, posts: list[Post]) -> dict[int, int]:
    if not user.is_authenticated or not posts:
        return {}
    return dict(Vote.objects.filter(user=user, post__in=[p.pk for p in posts]).values_list("post_id", "value"))


def read_up_to(*, user: User, topic: Topic) -> int | None:
    """The highest post number `user` has seen in `topic`; None when they never opened it."""
    if not user.is_authenticated:
        return None
    return TopicReadState.objects.filter(user=user, topic=topic).values_list("last_read_number", flat=True).first()


def is_following(*, user: User, topic: Topic | None = None, category: Category | None = None) -> bool:
    if not user.is_authenticated:
        return False
    return Subscription.objects.filter(user=user, topic=topic, category=category).exists()


def post_revisions(*, post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("edited_by")


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).select_related("actor", "topic", "post")


def notifications_unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_mode(*, user: User) -> str:
    preference = EmailPreference.objects.filter(user=user).first()
    return preference.mode if preference else EmailPreference.Mode.IMMEDIATE


def _has_open_flag() -> Exists:
    # An Exists, not `flags__resolved_at__isnull=True`: that filter's outer join also matches
    # posts that were never flagged at all.
    return Exists(Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True))


def moderation_queue() -> dict:
    """Posts with at least one open flag, most-flagged first, then the most recently flagged (each
    with its open flags), and posts held for approval, newest first; at most 100 of each."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True)
    flagged = (
        Post.objects.filter(_has_open_flag())
        .annotate(
            open_flag_count=Subquery(
                open_flags.filter(post=OuterRef("pk")).order_by().values("post").annotate(n=Count("*")).values("n")
            ),
            last_flagged_at=Subquery(
                open_flags.filter(post=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
            ),
        )
        .select_related("topic", "author")
        .prefetch_related(
            Prefetch("flags", queryset=open_flags.select_related("user").order_by("-created_at"), to_attr="open_flags")
        )
        .order_by("-open_flag_count", "-last_flagged_at", "-pk")
    )
    waiting = Post.objects.filter(is_approved=False, is_deleted=False).select_related("topic", "author")
    return {"flagged": flagged[:100], "waiting": waiting.order_by("-created_at", "-pk")[:100]}


def moderation_waiting_count() -> int:
    """How many posts the moderation queue holds: waiting for approval, or with an open flag."""
    return Post.objects.filter(Q(is_approved=False, is_deleted=False) | _has_open_flag()).count()


def moderation_log() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related("moderator", "topic", "post")


def topic_first_unread_number(*, topic: Topic, read_up_to: int | None) -> int:
    return min((read_up_to or 0) + 1, max(topic.last_number, 1))


def search_topics(*, query: str, permissions: ForumPermissions, category: Category | None = None, solved: str = ""):
    """Full-text search over topic titles and post texts through the site's search backend
    (Chinese segmented, English stemmed: community/search/), best match first, limited
    to what this person may read."""
    visible = list(categories_visible(permissions=permissions).values_list("pk", flat=True))
    topics = Topic.objects.filter(
        category__in=visible,
        is_hidden=False,
        awaiting_approval=False,
        merged_into__isnull=True,
    )
    if category is not None:
        topics = topics.filter(category=category.pk)
    if solved == "yes":
        topics = topics.filter(is_solved=True)
    elif solved == "no":
        topics = topics.filter(is_solved=False)
    if not query.strip():
        return []
    ids = [t.pk for t in get_search_backend().search(query, topics, operator="and")[:50]]
    by_id = Topic.objects.select_related("category", "author", "accepted_post").in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def mention_candidates(*, category: Category, topic: Topic | None = None, query: str) -> list[dict]:
    """People the post form's picker offers for what was typed after "@": those who may read the
    topic (or, for a new topic, the category), whose handle starts with it or whose name contains
    it, by name. Handles and names only, never e-mail addresses; nothing under two characters."""
    query = query.strip().lstrip("@")[:50]
    if len(query) < 2:
        return []
    people = (
        readers_of(category)
        .filter(Q(handle__istartswith=query) | Q(full_name__icontains=query))
        .distinct()
        .order_by("full_name", "handle")
    )
    if topic is not None and (topic.is_hidden or topic.awaiting_approval):
        # Only moderators (and the author, while it waits) read such a topic: ask the handler.
        chosen = [p for p in people[:50] if ForumPermissions(p).can_see_topic(topic)][:MENTION_CANDIDATES]
    else:
        chosen = list(people[:MENTION_CANDIDATES])
    return [{"handle": person.handle, "name": person.full_name} for person in chosen]


def accepted_answers_by_organisation(organisation_ids: list[int]) -> dict[int, int]:
    """Accepted answers written by each organisation's current members, for the trust profile."""
    rows = (
        Topic.objects.filter(
            membership_current_q("accepted_post__author__memberships__"),
            accepted_post__author__memberships__organisation_id__in=organisation_ids,
        )
        .values("accepted_post__author__memberships__organisation_id")
        .annotate(n=Count("pk"))
    )
    return {row["accepted_post__author__memberships__organisation_id"]: row["n"] for row in rows}
