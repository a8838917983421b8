import pytest
from django.core import mail
from django.test import Client

from forums import services
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
)
from forums.tasks import notifications_send_digests, unsubscribe_token
from tests.factories.community import MembershipFactory, ProductFactory, UserFactory
from tests.factories.forums import CategoryFactory, TopicFactory, add_replies


def _reload(obj):
    obj.refresh_from_db()
    return obj


def test_topic_create_numbers_first_post_and_counts_category(asker, category):
    topic = services.topic_create(author=asker, category=category, kind="question", title="Q?", body="Body")
    assert topic.posts.get().number == 1
    category.refresh_from_db()
    assert (category.topic_count, category.post_count) == (1, 1)
    assert Subscription.objects.filter(user=asker, topic=topic).exists()


def test_replies_are_numbered_in_order_and_counted(topic, answerer):
    first = services.post_create(author=answerer, topic=topic, body="one")
    second = services.post_create(author=answerer, topic=topic, body="two")
    assert (first.number, second.number) == (2, 3)
    topic = _reload(topic)
    assert (topic.reply_count, topic.last_number, topic.last_poster_id) == (2, 3, answerer.pk)
    assert _reload(topic.category).post_count == 3


def test_collaboration_request_needs_product_region_and_need(asker, category):
    with pytest.raises(services.ForumError):
        services.topic_create(author=asker, category=category, kind="collaboration", title="Need", body="x")
    product = ProductFactory()
    topic = services.topic_create(
        author=asker, category=category, kind="collaboration", title="Need", body="x",
        product=product, region="eu", sought="A certified partner",
    )  # fmt: skip
    assert (topic.product, topic.region, topic.sought) == (product, "eu", "A certified partner")


def test_first_post_of_new_account_waits_for_approval_then_counts(settings, category, moderator):
    settings.FORUMS_HOLD_FIRST_POSTS = 1
    newcomer = MembershipFactory().user
    topic = services.topic_create(author=newcomer, category=category, kind="discussion", title="Hi", body="x")
    assert topic.awaiting_approval and not topic.posts.get().is_approved
    assert _reload(category).topic_count == 0
    services.post_approve(post=topic.posts.get(), moderator=moderator)
    assert not _reload(topic).awaiting_approval
    assert _reload(category).topic_count == 1
    assert ModerationAction.objects.filter(action="approve", moderator=moderator).exists()
    reply = services.post_create(author=newcomer, topic=topic, body="second post goes straight out")
    assert reply.is_approved


def test_posting_is_rate_limited(settings, topic, answerer):
    settings.FORUMS_RATE_LIMIT_POSTS = 2
    services.post_create(author=answerer, topic=topic, body="1")
    services.post_create(author=answerer, topic=topic, body="2")
    with pytest.raises(services.ForumError) as error:
        services.post_create(author=answerer, topic=topic, body="3")
    assert error.value.code == "rate_limited"


def test_vendor_staff_skip_approval_and_rate_limit(settings, topic, vendor_staff):
    settings.FORUMS_HOLD_FIRST_POSTS = 5
    settings.FORUMS_RATE_LIMIT_POSTS = 1
    for text in ("1", "2"):
        assert services.post_create(author=vendor_staff, topic=topic, body=text).is_approved


def test_locked_topic_refuses_replies_except_from_moderators(topic, answerer, moderator):
    services.topic_moderate(topic=topic, moderator=moderator, action="lock")
    with pytest.raises(services.ForumError):
        services.post_create(author=answerer, topic=topic, body="late")
    assert services.post_create(author=moderator, topic=topic, body="closing note").number == 2


def test_edit_keeps_revision_and_marks_edited(topic, asker):
    post = topic.posts.get()
    services.post_edit(post=post, editor=asker, body="**new** text")
    post.refresh_from_db()
    assert post.edited_at is not None and "<strong>new</strong>" in post.html
    assert PostRevision.objects.get(post=post).body == "Opening question with enough detail."


def test_soft_delete_keeps_number_and_uncounts(topic, answerer):
    reply = services.post_create(author=answerer, topic=topic, body="oops")
    services.post_delete(post=reply, user=answerer)
    reply.refresh_from_db()
    assert reply.is_deleted and Post.objects.filter(pk=reply.pk).exists()
    assert _reload(topic).reply_count == 0


def test_votes_change_score_once_per_person(topic, answerer, asker, moderator):
    reply = services.post_create(author=answerer, topic=topic, body="answer")
    assert services.post_vote(post=reply, user=asker, value=1) == 1
    assert services.post_vote(post=reply, user=asker, value=1) == 1
    assert services.post_vote(post=reply, user=moderator, value=-1) == 0
    assert services.post_vote(post=reply, user=asker, value=0) == -1
    with pytest.raises(services.ForumError):
        services.post_vote(post=reply, user=answerer, value=1)


def test_accepting_an_answer_solves_and_notifies_its_author(topic, answerer, asker):
    reply = services.post_create(author=answerer, topic=topic, body="answer")
    services.topic_accept_answer(topic=topic, post=reply, user=asker)
    topic = _reload(topic)
    assert topic.accepted_post == reply and topic.is_solved
    assert Notification.objects.filter(user=answerer, kind="accepted", post=reply).exists()
    services.topic_accept_answer(topic=topic, post=None, user=asker)
    assert not _reload(topic).is_solved


def test_reply_notifies_followers_and_mentions_once_and_emails_them(
    topic, answerer, asker, django_capture_on_commit_callbacks
):
    mentioned = MembershipFactory(user__full_name="Carol Mentioned").user
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=answerer, topic=topic, body=f"See @{mentioned.handle} and @{asker.handle.upper()}")
    assert list(Notification.objects.filter(user=asker).values_list("kind", flat=True)) == ["mention"]
    assert Notification.objects.filter(user=mentioned, kind="mention").count() == 1
    assert not Notification.objects.filter(user=answerer).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([asker.email, mentioned.email])
    message = mail.outbox[0]
    token_url = message.extra_headers["List-Unsubscribe"]
    assert "/forums/unsubscribe/" in token_url and "/forums/unsubscribe/" in message.body


def test_new_topic_notifies_category_followers(category, asker, answerer):
    services.subscription_set(user=answerer, category=category, following=True)
    services.topic_create(author=asker, category=category, kind="discussion", title="News", body="x")
    assert Notification.objects.filter(user=answerer, kind="new_topic").exists()


def test_daily_digest_collects_unsent_notifications_once(topic, answerer, asker, django_capture_on_commit_callbacks):
    services.email_preference_set(user=asker, mode=EmailPreference.Mode.DAILY)
    services.subscription_set(user=asker, topic=topic, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(author=answerer, topic=topic, body="one")
        services.post_create(author=answerer, topic=topic, body="two")
    assert mail.outbox == []
    assert notifications_send_digests() == 1
    assert len(mail.outbox) == 1 and "2" in mail.outbox[0].subject
    assert notifications_send_digests() == 0


def test_unsubscribe_link_turns_email_off_with_one_click(asker):
    token = unsubscribe_token(asker)
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/forums/unsubscribe/{token}/one-click/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=asker).mode == "off"
    assert client.post("/forums/unsubscribe/forged/one-click/").status_code == 400


def test_flag_once_then_hide_resolves_flags_and_logs(topic, answerer, asker, moderator):
    reply = services.post_create(author=answerer, topic=topic, body="spam")
    services.flag_create(post=reply, user=asker, reason="spam")
    with pytest.raises(services.ForumError):
        services.flag_create(post=reply, user=asker, reason="spam")
    services.post_set_hidden(post=reply, moderator=moderator, hidden=True)
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert _reload(topic).reply_count == 0
    services.post_set_hidden(post=reply, moderator=moderator, hidden=False)
    assert _reload(topic).reply_count == 1
    assert list(ModerationAction.objects.values_list("action", flat=True).order_by("pk")) == [
        "hide_post",
        "unhide_post",
    ]


def test_move_carries_counts(topic, moderator):
    add_replies(topic, 2)
    other = CategoryFactory()
    services.topic_move(topic=topic, moderator=moderator, category=other)
    assert (_reload(other).topic_count, _reload(other).post_count) == (1, 3)
    assert (_reload(topic.category).topic_count, _reload(topic.category).post_count) == (0, 0)


def test_merge_appends_posts_in_order_and_redirects_source(category, moderator):
    target = TopicFactory(category=category)
    add_replies(target, 2)
    source = TopicFactory(category=category)
    add_replies(source, 1)
    services.topic_merge(source=source, target=target, moderator=moderator)
    numbers = list(Post.objects.filter(topic=target).order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert _reload(target).last_number == 5 and _reload(target).reply_count == 4
    assert _reload(source).merged_into == target
    assert Topic.objects.get(pk=source.pk).posts.count() == 0


def test_notification_email_is_sent_once_however_often_the_task_runs(topic, answerer, asker):
    from forums.tasks import notifications_email

    services.subscription_set(user=asker, topic=topic, following=True)
    services.post_create(author=answerer, topic=topic, body="reply")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notifications_email(notification_ids=ids) == 1
    assert notifications_email(notification_ids=ids) == 0
    assert len(mail.outbox) == 1


def test_followers_who_may_no_longer_read_a_category_are_not_notified(asker, answerer, vendor, vendor_staff):
    category = CategoryFactory(product=ProductFactory(vendor=vendor))
    outsider = MembershipFactory().user
    for user in (outsider, vendor_staff):
        services.subscription_set(user=user, category=category, following=True)
    Category.objects.filter(pk=category.pk).update(visibility=Category.Visibility.STAFF)
    category.refresh_from_db()
    services.topic_create(author=vendor_staff, category=category, kind="discussion", title="Roadmap", body="x")
    assert not Notification.objects.filter(user=outsider).exists()
    topic = Topic.objects.get(title="Roadmap")
    services.subscription_set(user=outsider, topic=topic, following=True)
    services.post_create(author=answerer, topic=topic, body="reply")
    assert not Notification.objects.filter(user=outsider).exists()
    assert Notification.objects.filter(user=vendor_staff, kind="reply").exists()


def test_partner_only_category_notifies_members_but_not_people_without_an_organisation(asker):
    category = CategoryFactory(visibility=Category.Visibility.PARTNERS)
    loner = UserFactory()
    member = MembershipFactory().user
    for user in (loner, member):
        services.subscription_set(user=user, category=category, following=True)
    services.topic_create(author=asker, category=category, kind="discussion", title="Partners", body="x")
    assert Notification.objects.filter(user=member).exists()
    assert not Notification.objects.filter(user=loner).exists()


def test_of_two_people_with_the_same_name_only_the_mentioned_one_is_notified(topic, answerer):
    first = MembershipFactory(user__full_name="Wang Wei").user
    second = MembershipFactory(user__full_name="Wang Wei").user
    assert first.handle != second.handle
    services.post_create(author=answerer, topic=topic, body=f"@{second.handle} knows this")
    assert list(Notification.objects.filter(kind="mention").values_list("user", flat=True)) == [second.pk]


def test_a_mention_tells_nobody_who_cannot_read_the_topic_nor_by_the_old_name_form(answerer):
    hidden = CategoryFactory(visibility=Category.Visibility.STAFF)
    staff_topic = TopicFactory(category=hidden, author=answerer)
    outsider = UserFactory(full_name="Olga Outsider")
    services.post_create(author=answerer, topic=staff_topic, body=f"@{outsider.handle}")
    member = MembershipFactory(user__full_name="Maria Member").user
    public_topic = TopicFactory(author=answerer)
    services.post_create(author=answerer, topic=public_topic, body="@[Maria Member] and @nobody_here")
    assert not Notification.objects.filter(kind="mention").exists()
    assert member.handle == "maria_member"
