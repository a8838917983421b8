"""Writes for the forums. Each function is one transaction and the only place its rule lives;
views parse input, ask forums.permissions whether the person may act, then call one of these.
Counters on categories, topics and posts change only here, with F() so concurrent writes add up."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import GroupApprovalTask, GroupCollectionPermission, GroupPagePermission
from wagtail.search import index

from community.models import Product, User
from forums.models import (
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
from forums.rendering import mentioned_handles, render_markdown
from partners.board_links import engagements_to_link
from partners.models import Engagement

MAX_MENTIONS = 10


class ForumError(ValidationError):
    """A write that the rules refuse; the message says why, for the person who tried."""


# --- helpers --------------------------------------------------------------------------------
def _reindex(topic_id: int) -> None:
    def run():
        topic = Topic.objects.filter(pk=topic_id).first()
        if topic is not None:
            index.insert_or_update_object(topic)

    transaction.on_commit(run)


def _check_rate_and_hold(*, author: User, hold_for_approval: bool | None) -> bool:
    """Raise if `author` posts too fast; return whether this post waits for approval."""
    if ForumPermissions(author).skips_approval_and_rate_limit():
        return False
    limit, seconds = settings.FORUMS_RATE_LIMIT_POSTS, settings.FORUMS_RATE_LIMIT_SECONDS
    if limit:
        since = timezone.now() - timedelta(seconds=seconds)
        if Post.objects.filter(author=author, created_at__gte=since).count() >= limit:
            raise ForumError(
                _("You are posting very quickly. Please wait a few minutes and try again; your text is kept below."),
                code="rate_limited",
            )
    if hold_for_approval is not None:
        return hold_for_approval
    first_posts = settings.FORUMS_HOLD_FIRST_POSTS
    return bool(first_posts) and Post.objects.filter(author=author, is_approved=True).count() < first_posts


def _count_post(post: Post, delta: int) -> None:
    """Add `delta` to the visible-post counters of the post's topic (replies only) and category."""
    if post.number > 1:
        Topic.objects.filter(pk=post.topic_id).update(reply_count=F("reply_count") + delta)
    Category.objects.filter(pk=post.topic.category_id).update(post_count=F("post_count") + delta)


def _touch(topic: Topic, post: Post) -> None:
    Topic.objects.filter(pk=topic.pk).update(last_activity_at=post.created_at, last_poster=post.author_id)
    Category.objects.filter(pk=topic.category_id).update(last_activity_at=post.created_at)


def _follow(user: User, *, topic: Topic | None = None, category: Category | None = None) -> None:
    Subscription.objects.get_or_create(user=user, topic=topic, category=category)


def _notify(*, users, kind: str, actor: User | None, topic: Topic, post: Post | None) -> list[Notification]:
    recipients = {u.pk: u for u in users if u.is_active and (actor is None or u.pk != actor.pk)}
    notifications = Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, actor=actor, topic=topic, post=post) for pk in recipients]
    )
    ids = [n.pk for n in notifications]
    if ids:
        from forums.tasks import notifications_email

        transaction.on_commit(lambda: notifications_email.delay(notification_ids=ids))
    return notifications


def _announce_post(post: Post) -> None:
    """Notifications for a newly visible post: mentions, then followers of the topic (or, for a
    new topic, of its category). Nobody is told twice about one post."""
    topic = post.topic
    told: set[int] = {post.author_id}
    handles = mentioned_handles(post.body)[:MAX_MENTIONS]
    if handles:
        # A handle names one person: exactly those written are told, if they may read the topic.
        candidates = User.objects.filter(handle__in=handles, is_active=True)
        mentioned = [u for u in candidates if ForumPermissions(u).can_see_topic(topic)]
        _notify(users=mentioned, kind=Notification.Kind.MENTION, actor=post.author, topic=topic, post=post)
        told |= {u.pk for u in mentioned}
    # Only people who may still read the category hear about it (its visibility may have
    # narrowed since they followed).
    readers = readers_of(topic.category)
    if post.number == 1:
        followers = readers.filter(forum_subscriptions__category_id=topic.category_id).exclude(pk__in=told)
        kind = Notification.Kind.NEW_TOPIC
    else:
        followers = readers.filter(forum_subscriptions__topic_id=topic.pk).exclude(pk__in=told)
        kind = Notification.Kind.REPLY
    _notify(users=list(followers), kind=kind, actor=post.author, topic=topic, post=post)


def _log(moderator: User, action: str, *, topic: Topic | None = None, post: Post | None = None, detail: str = ""):
    ModerationAction.objects.create(moderator=moderator, action=action, topic=topic, post=post, detail=detail[:300])


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ForumError(_("Write something first."), code="empty")
    if len(body) > settings.FORUMS_MAX_POST_LENGTH:
        raise ForumError(
            _("Posts can be at most %(limit)s characters long.") % {"limit": settings.FORUMS_MAX_POST_LENGTH},
            code="too_long",
        )
    return body


# --- writing --------------------------------------------------------------------------------
@transaction.atomic
def topic_create(
    *,
    author: User,
    category: Category,
    kind: str,
    title: str,
    body: str,
    product: Product | None = None,
    region: str = "",
    sought: str = "",
    engagement: Engagement | None = None,
    hold_for_approval: bool | None = None,
    at: datetime | None = None,
) -> Topic:
    """Open a topic with its first post. A new account's first posts wait for a moderator
    (FORUMS_HOLD_FIRST_POSTS); posting is rate-limited (FORUMS_RATE_LIMIT_*). The author follows
    the topic. `hold_for_approval` overrides the new-account rule (the demo uses it), and `at`
    backdates the post (demo threads)."""
    title = (title or "").strip()
    if not title:
        raise ForumError(_("Give your topic a title."), code="no_title")
    body = _clean_body(body)
    if kind == Topic.Kind.COLLABORATION and (product is None or not region or not sought.strip()):
        raise ForumError(
            _("A collaboration request needs the product, the region and what you are looking for."),
            code="collaboration_incomplete",
        )
    if engagement is not None and (
        kind != Topic.Kind.COLLABORATION or not engagements_to_link(user=author).filter(pk=engagement.pk).exists()
    ):
        raise ForumError(
            _("You may link only your company's open engagements to a collaboration request."), code="engagement"
        )
    held = _check_rate_and_hold(author=author, hold_for_approval=hold_for_approval)
    at = at or timezone.now()
    topic = Topic.objects.create(
        category=category,
        kind=kind,
        title=title,
        author=author,
        created_at=at,
        last_activity_at=at,
        last_poster=author,
        last_number=1,
        awaiting_approval=held,
        product=product if kind == Topic.Kind.COLLABORATION else None,
        region=region if kind == Topic.Kind.COLLABORATION else "",
        sought=sought.strip() if kind == Topic.Kind.COLLABORATION else "",
        engagement=engagement,
    )
    post = Post.objects.create(
        topic=topic, number=1, author=author, body=body, html=render_markdown(body), created_at=at, is_approved=not held
    )
    _follow(author, topic=topic)
    if not held:
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_activity_at=at
        )
        _announce_post(post)
    _reindex(topic.pk)
    return topic


@transaction.atomic
def post_create(
    *, author: User, topic: Topic, body: str, hold_for_approval: bool | None = None, at: datetime | None = None
) -> Post:
    """Reply to a topic. Locks the topic row to number the post; refuses locked topics unless
    the author moderates. Same approval and rate rules as topic_create."""
    body = _clean_body(body)
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if topic.is_locked and not ForumPermissions(author).is_moderator:
        raise ForumError(_("This topic is locked; it takes no new replies."), code="locked")
    if topic.merged_into_id:
        raise ForumError(_("This topic was merged into another one; reply there."), code="merged")
    held = _check_rate_and_hold(author=author, hold_for_approval=hold_for_approval)
    at = at or timezone.now()
    number = topic.last_number + 1
    Topic.objects.filter(pk=topic.pk).update(last_number=number)
    post = Post.objects.create(
        topic=topic,
        number=number,
        author=author,
        body=body,
        html=render_markdown(body),
        created_at=at,
        is_approved=not held,
    )
    _follow(author, topic=topic)
    if not held:
        _count_post(post, +1)
        _touch(topic, post)
        _announce_post(post)
        _reindex(topic.pk)
    return post


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str) -> Post:
    """Change a post's text, keeping the previous text as a revision (moderators read them)."""
    body = _clean_body(body)
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
    post.body, post.html, post.edited_at = body, render_markdown(body), timezone.now()
    post.save(update_fields=["body", "html", "edited_at"])
    if editor.pk != post.author_id:
        _log(editor, ModerationAction.Action.EDIT, topic=post.topic, post=post)
    _reindex(post.topic_id)
    return post


@transaction.atomic
def post_delete(*, post: Post, user: User) -> Post:
    """Soft-delete one's own reply: the text goes from view, the number stays (links keep working)."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.author_id != user.pk:
        raise ForumError(_("You can delete only your own posts."), code="not_author")
    if post.number == 1:
        raise ForumError(_("The opening post cannot be deleted; ask a moderator to hide the topic."), code="first")
    if post.is_deleted:
        return post
    was_visible = post.is_visible
    post.is_deleted = True
    post.save(update_fields=["is_deleted"])
    if was_visible:
        _count_post(post, -1)
    if post.topic.accepted_post_id == post.pk:
        Topic.objects.filter(pk=post.topic_id).update(accepted_post=None, is_solved=False)
    _reindex(post.topic_id)
    return post


@transaction.atomic
def post_vote(*, post: Post, user: User, value: int) -> int:
    """Set the person's vote on a post to +1, -1 or 0 (none); returns the post's new score."""
    if value not in (-1, 0, 1):
        raise ForumError(_("Unknown vote."), code="bad_vote")
    if post.author_id == user.pk:
        raise ForumError(_("You cannot vote on your own post."), code="own_post")
    Post.objects.select_for_update().filter(pk=post.pk).first()
    existing = Vote.objects.filter(post=post, user=user).first()
    old = existing.value if existing else 0
    if value == 0 and existing:
        existing.delete()
    elif value and existing:
        Vote.objects.filter(pk=existing.pk).update(value=value)
    elif value:
        Vote.objects.create(post=post, user=user, value=value)
    if value != old:
        Post.objects.filter(pk=post.pk).update(score=F("score") + (value - old))
    return Post.objects.values_list("score", flat=True).get(pk=post.pk)


@transaction.atomic
def topic_accept_answer(*, topic: Topic, post: Post | None, user: User) -> Topic:
    """Mark `post` (a visible reply in a question) as the accepted answer, or clear it with None.
    The answer's author is notified; a moderator's choice is logged."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.kind != Topic.Kind.QUESTION:
        raise ForumError(_("Only questions have accepted answers."), code="not_question")
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or not post.is_visible):
        raise ForumError(_("Choose a visible reply in this topic."), code="bad_post")
    topic.accepted_post, topic.is_solved = post, post is not None
    topic.save(update_fields=["accepted_post", "is_solved"])
    if user.pk != topic.author_id:
        _log(user, ModerationAction.Action.ACCEPT, topic=topic, post=post)
    if post is not None:
        _notify(users=[post.author], kind=Notification.Kind.ACCEPTED, actor=user, topic=topic, post=post)
    _reindex(topic.pk)
    return topic


def topic_mark_read(*, user: User, topic: Topic, number: int, known: int | None = None) -> None:
    """Remember that `user` has read `topic` up to post `number` (never moves backwards).
    `known` is the stored number when the caller has just read it (None: no row yet), which
    saves the queries a page view would otherwise spend."""
    if not user.is_authenticated or (known is not None and known >= number):
        return
    updated = TopicReadState.objects.filter(user=user, topic=topic, last_read_number__lt=number).update(
        last_read_number=number
    )
    if not updated and known is None:
        try:
            with transaction.atomic():
                TopicReadState.objects.get_or_create(user=user, topic=topic, defaults={"last_read_number": number})
        except IntegrityError:
            pass  # a concurrent request created it; its number is as good


@transaction.atomic
def subscription_set(
    *, user: User, following: bool, topic: Topic | None = None, category: Category | None = None
) -> None:
    """Follow or stop following a topic or a category (exactly one given)."""
    if (topic is None) == (category is None):
        raise ValueError("Give a topic or a category.")
    if following:
        _follow(user, topic=topic, category=category)
    else:
        Subscription.objects.filter(user=user, topic=topic, category=category).delete()


def notifications_mark_read(*, user: User, notification_ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def email_preference_set(*, user: User, mode: str) -> EmailPreference:
    if mode not in EmailPreference.Mode.values:
        raise ForumError(_("Unknown e-mail setting."), code="bad_mode")
    preference, _created = EmailPreference.objects.update_or_create(user=user, defaults={"mode": mode})
    return preference


@transaction.atomic
def flag_create(*, post: Post, user: User, reason: str, note: str = "") -> Flag:
    """Flag a post for moderators; one open flag per person and post."""
    if reason not in Flag.Reason.values:
        raise ForumError(_("Choose a reason."), code="bad_reason")
    if Flag.objects.filter(post=post, user=user, resolved_at__isnull=True).exists():
        raise ForumError(_("You have already flagged this post; a moderator will look at it."), code="duplicate")
    return Flag.objects.create(post=post, user=user, reason=reason, note=note.strip()[:500])


# --- moderation -----------------------------------------------------------------------------
@transaction.atomic
def post_approve(*, post: Post, moderator: User) -> Post:
    """Publish a post that waited for approval (and its topic, when it is the opening post)."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.is_approved:
        return post
    post.is_approved = True
    post.save(update_fields=["is_approved"])
    topic = post.topic
    if post.number == 1:
        Topic.objects.filter(pk=topic.pk).update(awaiting_approval=False)
        Category.objects.filter(pk=topic.category_id).update(topic_count=F("topic_count") + 1)
    if not post.is_hidden and not post.is_deleted:
        _count_post(post, +1)
        _touch(topic, post)
        _announce_post(post)
    _log(moderator, ModerationAction.Action.APPROVE, topic=topic, post=post)
    _reindex(topic.pk)
    return post


@transaction.atomic
def post_set_hidden(*, post: Post, moderator: User, hidden: bool, reason: str = "") -> Post:
    """Hide or unhide a post; hiding resolves its open flags."""
    post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
    if post.is_hidden == hidden:
        return post
    was_visible = post.is_visible
    post.is_hidden = hidden
    post.save(update_fields=["is_hidden"])
    if was_visible != post.is_visible:
        _count_post(post, +1 if post.is_visible else -1)
    if hidden:
        Flag.objects.filter(post=post, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=moderator
        )
        if post.topic.accepted_post_id == post.pk:
            Topic.objects.filter(pk=post.topic_id).update(accepted_post=None, is_solved=False)
    action = ModerationAction.Action.HIDE_POST if hidden else ModerationAction.Action.UNHIDE_POST
    _log(moderator, action, topic=post.topic, post=post, detail=reason)
    _reindex(post.topic_id)
    return post


@transaction.atomic
def flags_dismiss(*, post: Post, moderator: User) -> int:
    count = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )
    if count:
        _log(moderator, ModerationAction.Action.DISMISS_FLAGS, topic=post.topic, post=post)
    return count


TOPIC_FLAGS = {
    "lock": ("is_locked", True, ModerationAction.Action.LOCK),
    "unlock": ("is_locked", False, ModerationAction.Action.UNLOCK),
    "pin": ("is_pinned", True, ModerationAction.Action.PIN),
    "unpin": ("is_pinned", False, ModerationAction.Action.UNPIN),
    "hide": ("is_hidden", True, ModerationAction.Action.HIDE_TOPIC),
    "unhide": ("is_hidden", False, ModerationAction.Action.UNHIDE_TOPIC),
}


@transaction.atomic
def topic_moderate(*, topic: Topic, moderator: User, action: str) -> Topic:
    """Lock/unlock, pin/unpin or hide/unhide a topic, and log it."""
    if action not in TOPIC_FLAGS:
        raise ForumError(_("Unknown moderation action."), code="bad_action")
    field, value, logged = TOPIC_FLAGS[action]
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if getattr(topic, field) != value:
        setattr(topic, field, value)
        topic.save(update_fields=[field])
        if field == "is_hidden" and not topic.awaiting_approval:
            Category.objects.filter(pk=topic.category_id).update(
                topic_count=F("topic_count") + (-1 if value else 1),
                post_count=F("post_count") + (-1 if value else 1) * (topic.reply_count + 1),
            )
        _log(moderator, logged, topic=topic)
    return topic


@transaction.atomic
def topic_move(*, topic: Topic, moderator: User, category: Category) -> Topic:
    """Move a topic (with its counts) to another category."""
    topic = Topic.objects.select_for_update().select_related("category").get(pk=topic.pk)
    if topic.category_id == category.pk:
        return topic
    old = topic.category
    if topic.is_listed:
        posts = topic.reply_count + 1
        Category.objects.filter(pk=old.pk).update(topic_count=F("topic_count") - 1, post_count=F("post_count") - posts)
        Category.objects.filter(pk=category.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + posts
        )
    topic.category = category
    topic.save(update_fields=["category"])
    _log(moderator, ModerationAction.Action.MOVE, topic=topic, detail=f"{old.name} → {category.name}")
    _reindex(topic.pk)
    return topic


@transaction.atomic
def topic_merge(*, source: Topic, target: Topic, moderator: User) -> Topic:
    """Merge a duplicate into `target`: the source's posts are appended to the target in their
    order (renumbered after the target's last post), the source is left as a pointer that
    redirects, and the counts move with the posts."""
    if source.pk == target.pk:
        raise ForumError(_("A topic cannot be merged into itself."), code="same")
    locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id or target.merged_into_id:
        raise ForumError(_("One of these topics was already merged."), code="merged")
    posts = list(Post.objects.filter(topic=source).order_by("number"))
    moved_visible = sum(1 for p in posts if p.is_visible)
    # Two passes: park the moved posts on numbers no post uses, then give them their final ones.
    offset = target.last_number + len(posts) + 1
    for step in (offset, 0):
        for i, post in enumerate(posts, start=1):
            post.topic, post.number = target, target.last_number + i + step
        Post.objects.bulk_update(posts, ["topic", "number"])
    last = posts[-1] if posts else None
    target_fields = {"last_number": target.last_number + len(posts), "reply_count": F("reply_count") + moved_visible}
    if last is not None and last.created_at > target.last_activity_at:
        target_fields |= {"last_activity_at": last.created_at, "last_poster": last.author_id}
    Topic.objects.filter(pk=target.pk).update(**target_fields)
    Topic.objects.filter(pk=source.pk).update(
        merged_into=target, reply_count=0, last_number=0, accepted_post=None, is_solved=False, is_locked=True
    )
    if source.is_listed:
        Category.objects.filter(pk=source.category_id).update(
            topic_count=F("topic_count") - 1, post_count=F("post_count") - moved_visible
        )
        Category.objects.filter(pk=target.category_id).update(post_count=F("post_count") + moved_visible)
    for sub in Subscription.objects.filter(topic=source).exclude(user__forum_subscriptions__topic=target):
        Subscription.objects.filter(pk=sub.pk).update(topic=target)
    _log(moderator, ModerationAction.Action.MERGE, topic=target, detail=f"#{source.pk} {source.title}")
    _reindex(target.pk)
    _reindex(source.pk)
    return target


# What the forum moderators' group holds, and nothing else: moderating, the categories in the
# Wagtail admin (which needs admin access) and reading topics, posts, flags and the log there.
MODERATORS_GROUP = "Moderators"
MODERATOR_PERMISSIONS = [
    ("forums", "moderate_forums"),
    ("forums", "add_category"),
    ("forums", "change_category"),
    ("forums", "view_category"),
    ("forums", "view_topic"),
    ("forums", "view_post"),
    ("forums", "view_flag"),
    ("forums", "view_moderationaction"),
    ("wagtailadmin", "access_admin"),
]


@transaction.atomic
def moderators_group_ensure() -> Group:
    """The forum moderators' group with exactly MODERATOR_PERMISSIONS, idempotently. Wagtail
    creates a "Moderators" group that may publish every page, manage every image and document
    and approve pages in its default workflow; whatever of that is found again (an old database,
    a restored backup) is taken away, as migration forums 0003 does once."""
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    wanted = Q()
    for app_label, codename in MODERATOR_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(wanted))
    GroupPagePermission.objects.filter(group=group).delete()
    GroupCollectionPermission.objects.filter(group=group).delete()
    for task in GroupApprovalTask.objects.filter(groups=group):
        task.groups.remove(group)
    return group
