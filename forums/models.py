"""Forum records: what people write and do in the community. Plain models (not Wagtail pages),
with counters kept on the rows so lists never count per request."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from community.models import Product, Region
from community.models.translated_text import TranslatedTextMixin

POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 25


class Category(TranslatedTextMixin, models.Model):
    translated_fields = ("name", "description")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        PARTNERS = "partners", _("Signed-in partners")
        STAFF = "staff", _("Vendor staff only")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_categories",
        verbose_name=_("product"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    visibility = models.CharField(_("who can see it"), max_length=10, choices=Visibility.choices, default="public")
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("forum category")
        verbose_name_plural = _("forum categories")
        permissions = [("moderate_forums", _("Can moderate the forums"))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:category", kwargs={"slug": self.slug})


class Topic(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question")
        COLLABORATION = "collaboration", _("Collaboration request")

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics", verbose_name=_("category"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_topics", verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    last_poster = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Posts are numbered in order (1 is the opening post) and keep their number, so the page a
    # post is on is arithmetic and never needs counting.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted answer")
    )
    is_solved = models.BooleanField(_("solved"), default=False, editable=False)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    awaiting_approval = models.BooleanField(_("awaiting approval"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # Collaboration requests: which product, where, and what the partner is looking for.
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("product")
    )
    region = models.CharField(_("region"), max_length=8, choices=Region.choices, blank=True)
    sought = models.CharField(_("what is sought"), max_length=300, blank=True)
    # A collaboration request may be about one of the author's company's engagements; the link
    # names a customer, so only the engagement's partners see it (partners.board_links).
    engagement = models.ForeignKey(
        "partners.Engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("engagement"),
    )

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("search_body"),
        index.FilterField("category"),
        index.FilterField("is_solved"),
        index.FilterField("is_hidden"),
        index.FilterField("awaiting_approval"),
        index.FilterField("merged_into"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["-is_pinned", "-last_activity_at"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["category", "-is_pinned", "-last_activity_at"], name="topic_category_activity"),
            # The forum index's recent topics, across categories.
            models.Index(fields=["-last_activity_at"], name="topic_recent_activity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="collaboration") | (Q(product__isnull=False) & ~Q(region="")),
                name="topic_collaboration_has_product_and_region",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:topic", kwargs={"topic_id": self.pk})

    @property
    def is_listed(self) -> bool:
        return not (self.is_hidden or self.awaiting_approval or self.merged_into_id)

    @property
    def page_count(self) -> int:
        return max(1, (self.last_number + POSTS_PER_PAGE - 1) // POSTS_PER_PAGE)

    def search_body(self) -> str:
        """Text of the topic's visible posts for the search index (capped: the title and the
        first posts say what a topic is about)."""
        bodies = self.posts.filter(Post.visible_q()).order_by("number").values_list("body", flat=True)[:100]
        return "\n".join(bodies)[:50_000]


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic"))
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="forum_posts", verbose_name=_("author")
    )
    body = models.TextField(_("text (Markdown)"))
    html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True, editable=False)
    score = models.IntegerField(_("score"), default=0, editable=False)
    is_approved = models.BooleanField(_("approved"), default=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    is_deleted = models.BooleanField(_("deleted by its author"), default=False)

    class Meta:
        ordering = ["topic", "number"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="post_unique_number_per_topic")]
        indexes = [models.Index(fields=["author", "created_at"], name="post_author_created")]

    def __str__(self):
        return f"{self.topic} #{self.number}"

    def get_absolute_url(self):
        return reverse("forums:post", kwargs={"post_id": self.pk})

    @staticmethod
    def visible_q() -> Q:
        return Q(is_approved=True, is_hidden=False, is_deleted=False)

    @property
    def is_visible(self) -> bool:
        return self.is_approved and not self.is_hidden and not self.is_deleted

    @property
    def page(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1


class PostRevision(models.Model):
    """A post's text before an edit; moderators read the history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.post} @ {self.created_at:%Y-%m-%d %H:%M}"


class Vote(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_votes")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="vote_one_per_user_and_post"),
            models.CheckConstraint(condition=Q(value__in=[-1, 1]), name="vote_value_plus_or_minus_one"),
        ]

    def __str__(self):
        return f"{self.value:+d} on {self.post_id}"


class TopicReadState(models.Model):
    """How far a person has read a topic: one row per person and topic they opened, holding the
    highest post number seen. A topic is unread while its last_number is higher."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="read_state_one_per_user_and_topic")]

    def __str__(self):
        return f"{self.user_id} read {self.topic_id} to #{self.last_read_number}"


class Subscription(models.Model):
    """Following a topic or a whole category (exactly one of them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True) | Q(topic__isnull=True, category__isnull=False),
                name="subscription_topic_xor_category",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="subscription_unique_topic"),
            models.UniqueConstraint(fields=["user", "category"], name="subscription_unique_category"),
        ]

    def __str__(self):
        return f"{self.user_id} follows {self.topic or self.category}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        NEW_TOPIC = "new_topic", _("New topic")
        MENTION = "mention", _("Mention")
        ACCEPTED = "accepted", _("Answer accepted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"


class EmailPreference(models.Model):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Each notification as it happens")
        DAILY = "daily", _("One daily digest")
        OFF = "off", _("No e-mail")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_email")
    mode = models.CharField(_("forum e-mail"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    def __str__(self):
        return f"{self.user_id}: {self.mode}"


class Flag(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Rude or abusive")
        OFF_TOPIC = "off_topic", _("Off topic")
        CONFIDENTIAL = "confidential", _("Shares confidential information")
        OTHER = "other", _("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(resolved_at__isnull=True), name="flag_one_open_per_user_and_post"
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post}"


class ModerationAction(models.Model):
    """The audit log: every moderator action, who took it and on what."""

    class Action(models.TextChoices):
        APPROVE = "approve", _("Approved a post")
        HIDE_POST = "hide_post", _("Hid a post")
        UNHIDE_POST = "unhide_post", _("Unhid a post")
        DISMISS_FLAGS = "dismiss_flags", _("Dismissed flags")
        LOCK = "lock", _("Locked a topic")
        UNLOCK = "unlock", _("Unlocked a topic")
        PIN = "pin", _("Pinned a topic")
        UNPIN = "unpin", _("Unpinned a topic")
        HIDE_TOPIC = "hide_topic", _("Hid a topic")
        UNHIDE_TOPIC = "unhide_topic", _("Unhid a topic")
        MOVE = "move", _("Moved a topic")
        MERGE = "merge", _("Merged a topic")
        ACCEPT = "accept", _("Accepted an answer")
        EDIT = "edit", _("Edited someone's post")

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
