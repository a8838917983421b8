from django.conf import settings as django_settings
from django.test import Client
from wagtail.search.backends import get_search_backend

from community.models import User
from forums import selectors, services
from forums.models import Category, ModerationAction, Topic
from forums.tasks import unsubscribe_token
from tests.factories.community import MembershipFactory, ProductFactory, UserFactory, VendorFactory
from tests.factories.forums import CategoryFactory, TopicFactory, add_replies


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_held_post_is_approved_from_the_queue(settings, topic, moderator):
    settings.FORUMS_HOLD_FIRST_POSTS = 1
    newcomer = MembershipFactory().user
    reply = services.post_create(author=newcomer, topic=topic, body="first words")
    assert b"waiting for a moderator" in _client(topic.author).get(topic.get_absolute_url()).content
    queue = _client(moderator).get("/forums/moderation/").content.decode()
    assert "first words" in queue
    response = _client(moderator).post(f"/forums/p/{reply.pk}/moderate/", {"action": "approve", "next": "queue"})
    assert response["Location"] == "/forums/moderation/"
    assert b"first words" in _client().get(topic.get_absolute_url()).content


def test_flag_appears_in_queue_and_hiding_shows_a_placeholder(topic, answerer, asker, moderator):
    reply = services.post_create(author=answerer, topic=topic, body="buy cheap licences")
    _client(asker).post(f"/forums/p/{reply.pk}/flag/", {"reason": "spam", "note": "advert"})
    assert "advert" in _client(moderator).get("/forums/moderation/").content.decode()
    _client(moderator).post(f"/forums/p/{reply.pk}/moderate/", {"action": "hide"})
    page = _client(asker).get(topic.get_absolute_url()).content.decode()
    assert "buy cheap licences" not in page and "hidden by a moderator" in page
    log = _client(moderator).get("/forums/moderation/log/").content.decode()
    assert "Hid a post" in log and moderator.full_name in log


def test_lock_pin_hide_move_and_merge_through_the_pages(topic, answerer, moderator):
    client = _client(moderator)
    for action in ("lock", "pin"):
        client.post(f"/forums/t/{topic.pk}/moderate/", {"action": action})
    topic.refresh_from_db()
    assert topic.is_locked and topic.is_pinned
    assert b"locked; it takes no new replies" in _client(answerer).get(topic.get_absolute_url()).content
    other = CategoryFactory()
    client.post(f"/forums/t/{topic.pk}/move/", {"category": other.pk})
    assert Topic.objects.get(pk=topic.pk).category == other
    duplicate = TopicFactory(category=other)
    response = client.post(f"/forums/t/{duplicate.pk}/merge/", {"target": topic.pk})
    assert response["Location"] == topic.get_absolute_url()
    assert _client().get(duplicate.get_absolute_url())["Location"] == topic.get_absolute_url()
    client.post(f"/forums/t/{topic.pk}/moderate/", {"action": "hide"})
    assert _client(answerer).get(topic.get_absolute_url()).status_code == 404
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert set(ModerationAction.objects.values_list("action", flat=True)) == {
        "lock",
        "pin",
        "move",
        "merge",
        "hide_topic",
    }


def test_merge_into_a_missing_topic_keeps_the_form_with_a_message(topic, moderator):
    response = _client(moderator).post(f"/forums/t/{topic.pk}/merge/", {"target": 999999})
    assert response.status_code == 200 and b"There is no topic with this number." in response.content


def test_staff_only_category_is_hidden_from_other_vendors_staff(db):
    vendor, other_vendor = VendorFactory(), VendorFactory()
    category = CategoryFactory(visibility=Category.Visibility.STAFF, product=ProductFactory(vendor=vendor))
    outsider = UserFactory()
    from community import services as community_services

    community_services.vendor_staff_add(vendor=other_vendor, user=outsider)
    assert _client(outsider).get(category.get_absolute_url()).status_code == 404
    assert category.name not in _client(outsider).get("/forums/").content.decode()


def test_search_filters_by_category(category, answerer):
    elsewhere = CategoryFactory()
    here = TopicFactory(category=category, title="Quorum loss during failover")
    there = TopicFactory(category=elsewhere, title="Quorum settings explained")
    backend = get_search_backend()
    for topic in (here, there):
        backend.add(topic)
    html = _client().get(f"/forums/search/?q=quorum&category={category.slug}").content.decode()
    assert here.title in html and there.title not in html


def test_unsubscribe_page_asks_before_changing_anything(asker):
    url = f"/forums/unsubscribe/{unsubscribe_token(asker)}/"
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert not User.objects.filter(pk=asker.pk, forum_email__isnull=False).exists()
    token = page.cookies["csrftoken"].value
    client.post(url, {"csrfmiddlewaretoken": token})
    assert User.objects.get(pk=asker.pk).forum_email.mode == "off"
    assert client.get("/forums/unsubscribe/not-a-token/").status_code == 400


def test_daily_digest_is_scheduled_and_registered():
    from community.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["forum-daily-digest"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_forum_models_are_listed_in_the_wagtail_admin(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    CategoryFactory(name="Admin-visible category")
    client = _client(admin)
    assert "Admin-visible category" in client.get("/admin/snippets/forums/category/").content.decode()
    for model in ("topic", "post", "flag", "moderationaction"):
        assert client.get(f"/admin/snippets/forums/{model}/").status_code == 200


def test_chinese_words_inside_a_title_are_found(category):
    topic = TopicFactory(category=category, title="节点池自动扩缩容时 Pod 被驱逐怎么办")
    get_search_backend().add(topic)
    assert topic.title in _client().get("/forums/search/?q=被驱逐").content.decode()


def test_moderators_see_how_many_posts_wait_in_the_queue(settings, topic, answerer, asker, moderator):
    settings.FORUMS_HOLD_FIRST_POSTS = 1
    services.post_create(author=MembershipFactory().user, topic=topic, body="held")
    flagged = services.post_create(author=answerer, topic=topic, body="dubious", hold_for_approval=False)
    services.flag_create(post=flagged, user=asker, reason="spam")
    services.flag_create(post=flagged, user=moderator, reason="abuse")
    html = _client(moderator).get("/forums/").content.decode()
    assert 'Moderation <span class="badge badge-danger">2</span>' in html
    assert (
        "Moderation" not in _client(asker).get("/forums/").content.decode().split("forum-nav", 1)[1].split("</nav>")[0]
    )


def test_queue_lists_exactly_the_posts_with_open_flags_most_flagged_first(settings, topic, answerer, asker, moderator):
    settings.FORUMS_HOLD_FIRST_POSTS = 1
    unflagged = add_replies(topic, 30)
    resolved = services.post_create(author=answerer, topic=topic, body="dismissed once", hold_for_approval=False)
    services.flag_create(post=resolved, user=asker, reason="spam")
    services.flags_dismiss(post=resolved, moderator=moderator)
    once = services.post_create(author=answerer, topic=topic, body="flagged once", hold_for_approval=False)
    twice = services.post_create(author=answerer, topic=topic, body="flagged twice", hold_for_approval=False)
    newest = services.post_create(author=answerer, topic=topic, body="flagged last", hold_for_approval=False)
    services.flag_create(post=twice, user=asker, reason="spam")
    services.flag_create(post=twice, user=MembershipFactory().user, reason="abuse")
    services.flag_create(post=once, user=asker, reason="off_topic")
    services.flag_create(post=newest, user=asker, reason="other")
    older_held = services.post_create(author=MembershipFactory().user, topic=topic, body="held first")
    newer_held = services.post_create(author=MembershipFactory().user, topic=topic, body="held later")

    queue = selectors.moderation_queue()

    assert [post.pk for post in queue["flagged"]] == [twice.pk, newest.pk, once.pk]
    assert [len(post.open_flags) for post in queue["flagged"]] == [2, 1, 1]
    assert [post.pk for post in queue["waiting"]] == [newer_held.pk, older_held.pk]
    assert selectors.moderation_waiting_count() == 5
    page = _client(moderator).get("/forums/moderation/").content.decode()
    flagged_section = page.split("Flagged posts", 1)[1]
    assert flagged_section.count('class="card queue-item"') == 3
    assert "dismissed once" not in page and unflagged[0].body not in flagged_section


def test_queue_page_reads_a_fixed_number_of_queries(topic, answerer, asker, moderator, count_queries):
    client = _client(moderator)

    def flag_some(n):
        for post in add_replies(topic, n, author=answerer):
            services.flag_create(post=post, user=asker, reason="spam")

    flag_some(2)
    with count_queries() as few:
        client.get("/forums/moderation/")
    flag_some(20)
    with count_queries() as many:
        assert client.get("/forums/moderation/").status_code == 200
    many.assert_at_most(len(few))
