import re

import pytest
from django.test import Client
from django.utils import timezone

from certifications.models import OrganisationDeliveryRight
from forums import services
from forums.models import Category, Notification, Post, Topic, TopicReadState
from tests.factories.community import PASSWORD, MembershipFactory, OrganisationFactory, ProductFactory, UserFactory
from tests.factories.forums import CategoryFactory, TopicFactory, add_replies
from tests.forums.test_rendering import XSS_VECTORS, dangerous_markup


def _client(user=None, csrf=False):
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


# --- query counts ---------------------------------------------------------------------------
def test_topic_page_queries_do_not_grow_with_posts(topic, asker, count_queries):
    client = _client(asker)
    add_replies(topic, 19)
    client.get(topic.get_absolute_url())
    with count_queries() as small:
        assert client.get(topic.get_absolute_url()).status_code == 200
    add_replies(topic, 1980)
    client.get(topic.get_absolute_url() + "?page=100")
    with count_queries() as large:
        response = client.get(topic.get_absolute_url() + "?page=100")
    assert response.status_code == 200 and b"#1981" in response.content
    assert len(large) == len(small), large.sql()
    large.assert_at_most(18)


def test_topic_list_queries_do_not_grow_with_topics(category, asker, count_queries):
    client = _client(asker)
    url = category.get_absolute_url()
    authors = [UserFactory() for _ in range(3)]
    TopicFactory.create_batch(20, category=category, author=authors[0])
    client.get(url)
    with count_queries() as small:
        client.get(url)
    first = TopicFactory(category=category, author=authors[1])
    Topic.objects.bulk_create(
        [
            Topic(category=category, title=f"Bulk {n}", author=authors[n % 3], last_number=1, last_poster=authors[2])
            for n in range(1980)
        ]
    )
    TopicReadState.objects.create(user=asker, topic=first, last_read_number=1)
    client.get(url)
    with count_queries() as large:
        response = client.get(url + "?page=3")
    assert response.status_code == 200
    assert len(large) == len(small), large.sql()
    large.assert_at_most(14)


def test_long_topic_pagination_links_the_ends_and_nearby_pages(topic, asker):
    add_replies(topic, 999)  # 1,000 posts: 50 pages
    html = _client(asker).get(topic.get_absolute_url() + "?page=25").content.decode()
    pagination = html[html.index('<nav class="pagination"') :]
    pagination = pagination[: pagination.index("</nav>")]
    linked = [int(n) for n in re.findall(r'href="\?page=(\d+)"', pagination)]
    assert linked == [1, 23, 24, 26, 27, 50]
    assert '<span aria-current="page">25</span>' in pagination
    assert pagination.count("pagination-gap") == 2


def test_large_counts_are_grouped_in_thousands(topic, asker):
    Category.objects.filter(pk=topic.category_id).update(topic_count=12_345, post_count=400_000)
    Topic.objects.filter(pk=topic.pk).update(reply_count=1_234)
    client = _client(asker)
    index = client.get("/forums/").content.decode()
    assert "12,345 topics" in index and "400,000 posts" in index
    assert ">1,234</span>" in client.get(topic.category.get_absolute_url()).content.decode()
    assert "1,234 replies" in client.get(topic.get_absolute_url()).content.decode()


# --- reading and unread -----------------------------------------------------------------------
def test_unread_marker_clears_after_reading_and_returns_with_new_reply(topic, asker, answerer):
    client = _client(answerer)
    assert b"unread-marker" in client.get(topic.category.get_absolute_url()).content
    client.get(topic.get_absolute_url())
    assert b"unread-marker" not in client.get(topic.category.get_absolute_url()).content
    services.post_create(author=asker, topic=topic, body="more")
    assert b"new replies" in client.get(topic.category.get_absolute_url()).content


def test_permalink_opens_the_page_with_the_post_and_jump_to_first_unread(topic, asker, answerer):
    posts = add_replies(topic, 45)
    client = _client(answerer)
    response = client.get(posts[30].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{topic.get_absolute_url()}?page=2#post-{posts[30].pk}"
    client.get(topic.get_absolute_url())
    response = client.get(f"/forums/t/{topic.pk}/unread/")
    assert response["Location"].endswith(f"?page=2#post-{posts[19].pk}")


def test_accepted_answer_is_shown_under_the_question(topic, asker, answerer):
    reply = services.post_create(author=answerer, topic=topic, body="Use **this** setting")
    add_replies(topic, 3)
    services.topic_accept_answer(topic=topic, post=reply, user=asker)
    html = _client().get(topic.get_absolute_url()).content.decode()
    question = html.index('id="post-' + str(topic.posts.get(number=1).pk))
    accepted = html.index("accepted-answer")
    assert question < accepted < html.index(f'id="post-{reply.pk}"')


def test_the_accepted_answer_is_read_for_the_first_page_only(topic, asker, answerer, count_queries):
    reply = services.post_create(author=answerer, topic=topic, body="Use **this** setting")
    add_replies(topic, 30)
    client = _client(asker)
    second_page = topic.get_absolute_url() + "?page=2"
    client.get(second_page)
    with count_queries() as unsolved:
        client.get(second_page)
    services.topic_accept_answer(topic=topic, post=reply, user=asker)
    client.get(second_page)
    with count_queries() as solved:
        html = client.get(second_page).content.decode()
    assert "accepted-answer" not in html
    assert len(solved) == len(unsolved), solved.sql()
    assert "accepted-answer" in client.get(topic.get_absolute_url()).content.decode()


def test_filters_unanswered_and_solved(category, asker, answerer):
    open_question = TopicFactory(category=category, title="Open question")
    solved = TopicFactory(category=category, title="Solved question")
    reply = services.post_create(author=answerer, topic=solved, body="answer")
    services.topic_accept_answer(topic=solved, post=reply, user=solved.author)
    client = _client()
    unanswered = client.get(category.get_absolute_url() + "?filter=unanswered").content.decode()
    assert open_question.title in unanswered and solved.title not in unanswered
    solved_page = client.get(category.get_absolute_url() + "?filter=solved").content.decode()
    assert solved.title in solved_page and open_question.title not in solved_page


def test_product_category_shows_best_answers(asker, answerer):
    category = CategoryFactory(product=ProductFactory(name="Widget Cloud"))
    topic = TopicFactory(category=category, author=asker, title="Widget setup")
    reply = services.post_create(author=answerer, topic=topic, body="answer")
    services.topic_accept_answer(topic=topic, post=reply, user=asker)
    html = _client().get(category.get_absolute_url()).content.decode()
    assert "Best answers for Widget Cloud" in html and reply.get_absolute_url() in html


def test_author_trust_marks(topic, vendor_staff, moderator):
    services.post_create(author=vendor_staff, topic=topic, body="staff answer")
    services.post_create(author=moderator, topic=topic, body="moderator note")
    html = _client().get(topic.get_absolute_url()).content.decode()
    assert "Vendor staff" in html and "Moderator</span>" in html
    assert topic.author.memberships.get().organisation.name in html


# --- writing through the pages ----------------------------------------------------------------
def test_preview_renders_without_posting_and_keeps_the_text(topic, answerer):
    response = _client(answerer).post(f"/forums/t/{topic.pk}/reply/", {"body": "**draft**", "preview": "1"})
    assert b"<strong>draft</strong>" in response.content and b"**draft**" in response.content
    assert topic.posts.count() == 1


def test_rate_limited_reply_keeps_the_text(settings, topic, answerer):
    settings.FORUMS_RATE_LIMIT_POSTS = 1
    client = _client(answerer)
    client.post(f"/forums/t/{topic.pk}/reply/", {"body": "first"})
    response = client.post(f"/forums/t/{topic.pk}/reply/", {"body": "my careful second answer"})
    assert response.status_code == 200
    assert b"posting very quickly" in response.content and b"my careful second answer" in response.content


def test_new_topic_form_creates_a_collaboration_request(category, asker):
    product = ProductFactory()
    response = _client(asker).post(
        f"/forums/c/{category.slug}/new/",
        {"kind": "collaboration", "title": "Need a partner", "body": "Details", "product": product.pk,
         "region": "eu", "sought": "Delivery rights in Europe"},
    )  # fmt: skip
    topic = Topic.objects.get(title="Need a partner")
    assert response["Location"] == topic.get_absolute_url()
    html = _client().get(topic.get_absolute_url()).content.decode()
    assert "Matching partners" in html


def test_collaboration_board_tells_visitors_who_may_not_see_requests_how_to_see_them(asker):
    partners_only = CategoryFactory(visibility=Category.Visibility.PARTNERS)
    TopicFactory(
        category=partners_only,
        author=asker,
        kind="collaboration",
        product=ProductFactory(),
        region="eu",
        title="Need an SD-WAN partner",
    )
    signed_out = _client().get("/forums/collaboration/").content.decode()
    assert "No collaboration requests yet" not in signed_out
    assert "Sign in with your partner account to see them." in signed_out
    assert "/accounts/login/?next=/forums/collaboration/" in signed_out
    not_a_partner = _client(UserFactory()).get("/forums/collaboration/").content.decode()
    assert "No collaboration requests yet" not in not_a_partner and "data-partners-only" in not_a_partner
    partner = _client(asker).get("/forums/collaboration/").content.decode()
    assert "Need an SD-WAN partner" in partner and "data-partners-only" not in partner


def test_collaboration_board_without_requests_says_so_to_partners(asker):
    assert "No collaboration requests yet" in _client(asker).get("/forums/collaboration/").content.decode()


def test_collaboration_topic_links_each_matching_partner_to_its_directory_profile(category, asker):
    """Partners holding the product's delivery right in the topic's region are listed, each linking
    to the profile that shows what it may deliver."""
    product = ProductFactory()
    partner = OrganisationFactory(region="eu", name="Fjord <Systems>")
    OrganisationDeliveryRight.objects.create(
        organisation=partner, product=product, status="active", active_since=timezone.now(), updated_at=timezone.now()
    )
    topic = TopicFactory(category=category, author=asker, kind="collaboration", product=product, region="eu")
    html = _client().get(topic.get_absolute_url()).content.decode()
    assert f'href="/partners/{partner.slug}/"><strong>Fjord &lt;Systems&gt;</strong></a>' in html


def test_collaboration_topic_links_the_directory_filtered_by_product_and_region(category, asker, settings):
    """The link appears as soon as the directory is routed; before that there is no dead link."""
    settings.ROOT_URLCONF = "tests.forums.urls_with_directory"
    product = ProductFactory()
    topic = TopicFactory(category=category, kind="collaboration", product=product, region="eu", sought="Rights")
    html = _client().get(topic.get_absolute_url()).content.decode()
    assert f"/partners/?product={product.slug}&amp;region=eu" in html


def test_collaboration_topic_directory_link_is_live(category):
    product = ProductFactory()
    topic = TopicFactory(category=category, kind="collaboration", product=product, region="eu", sought="x")
    html = _client().get(topic.get_absolute_url()).content.decode()
    link = f"/partners/?product={product.slug}&region=eu"
    assert link.replace("&", "&amp;") in html
    assert _client().get(link).status_code == 200


def test_edit_shows_edited_mark_and_history_only_to_moderators(topic, asker, moderator):
    post = topic.posts.get()
    _client(asker).post(f"/forums/p/{post.pk}/edit/", {"body": "Changed text"})
    assert b'class="edited"' in _client().get(topic.get_absolute_url()).content
    assert _client(asker).get(f"/forums/p/{post.pk}/history/").status_code == 403
    history = _client(moderator).get(f"/forums/p/{post.pk}/history/")
    assert b"Opening question with enough detail." in history.content


def test_notification_page_lists_accepted_answer(topic, asker, answerer):
    reply = services.post_create(author=answerer, topic=topic, body="answer")
    _client(asker).post(f"/forums/t/{topic.pk}/accept/", {"post": reply.pk})
    html = _client(answerer).get("/forums/notifications/").content.decode()
    assert "accepted your answer in" in html and topic.title in html


# --- search -----------------------------------------------------------------------------------
def test_forum_search_finds_titles_and_post_text_with_filters(category, asker, answerer):
    hidden_category = CategoryFactory(visibility=Category.Visibility.STAFF)
    match = TopicFactory(category=category, title="Replication lag on read replicas")
    services.post_create(author=answerer, topic=match, body="Check the zanzibar parameter")
    TopicFactory(category=hidden_category, title="Replication secrets for staff")
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    for topic in Topic.objects.all():
        backend.add(topic)
    client = _client()
    html = client.get("/forums/search/?q=replication").content.decode()
    assert match.title in html and "Replication secrets" not in html
    assert match.title in client.get("/forums/search/?q=zanzibar").content.decode()
    assert match.title not in client.get("/forums/search/?q=replication&solved=yes").content.decode()
    site = client.get("/search/?q=replication").content.decode()
    assert "Courses and pages" in site and match.title in site


# --- security: XSS, CSRF, permissions ---------------------------------------------------------
def _assert_inert(html: str):
    """The page's own forms are fine; nothing user-written may add markup that runs."""
    body = html[html.index("<main") : html.index("</main>")]
    assert dangerous_markup(body, allowed_tags={"form"}) == []


def test_xss_through_bodies_titles_and_names_is_inert(category, moderator):
    evil = MembershipFactory(user__full_name='<script>alert("name")</script><img src=x onerror=alert(1)>').user
    topic = services.topic_create(
        author=evil, category=category, kind="question", title='<script>alert("title")</script>"><svg onload=x>',
        body="\n\n".join(XSS_VECTORS),
    )  # fmt: skip
    for vector in XSS_VECTORS[:10]:
        services.post_create(author=evil, topic=topic, body=vector)
    services.flag_create(post=topic.posts.last(), user=moderator, reason="other", note="<script>x</script>")
    for url in [topic.get_absolute_url(), category.get_absolute_url(), "/forums/", "/forums/moderation/"]:
        _assert_inert(_client(moderator).get(url).content.decode())


def _forms_without_csrf(html: str) -> list[str]:
    forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>.*?</form>", html, flags=re.S | re.I)
    return [f for f in forms if "csrfmiddlewaretoken" not in f]


def test_every_forum_form_carries_and_needs_a_csrf_token(topic, asker, answerer, moderator):
    reply = services.post_create(author=answerer, topic=topic, body="answer")
    pages = [
        topic.get_absolute_url(),
        topic.category.get_absolute_url(),
        f"/forums/c/{topic.category.slug}/new/",
        f"/forums/p/{reply.pk}/edit/",
        f"/forums/p/{reply.pk}/flag/",
        "/forums/notifications/",
        "/forums/settings/",
        "/forums/moderation/",
        f"/forums/t/{topic.pk}/move/",
        f"/forums/t/{topic.pk}/merge/",
    ]
    for page in pages:
        assert _forms_without_csrf(_client(moderator).get(page).content.decode()) == [], page
    posts = {
        f"/forums/t/{topic.pk}/reply/": {"body": "x"},
        f"/forums/c/{topic.category.slug}/new/": {"kind": "discussion", "title": "t", "body": "b"},
        f"/forums/p/{reply.pk}/vote/": {"vote": "up"},
        f"/forums/p/{reply.pk}/flag/": {"reason": "spam"},
        f"/forums/p/{reply.pk}/delete/": {},
        f"/forums/p/{reply.pk}/edit/": {"body": "y"},
        f"/forums/t/{topic.pk}/accept/": {"post": reply.pk},
        f"/forums/t/{topic.pk}/follow/": {"follow": "1"},
        f"/forums/c/{topic.category.slug}/follow/": {"follow": "1"},
        f"/forums/t/{topic.pk}/moderate/": {"action": "lock"},
        f"/forums/t/{topic.pk}/move/": {"category": topic.category_id},
        f"/forums/t/{topic.pk}/merge/": {"target": 1},
        f"/forums/p/{reply.pk}/moderate/": {"action": "hide"},
        "/forums/notifications/read/": {},
        "/forums/settings/": {"mode": "off"},
    }
    for user in (asker, moderator):
        client = _client(user, csrf=True)
        for url, data in posts.items():
            assert client.post(url, data).status_code == 403, url
    assert topic.posts.count() == 2 and not Topic.objects.filter(title="t").exists()


ROLES = ["anonymous", "engineer", "author", "moderator", "vendor_staff"]


@pytest.fixture
def matrix(db, vendor, vendor_staff, moderator):
    author = MembershipFactory(user__full_name="Topic Author").user
    public = CategoryFactory(slug="public")
    partners = CategoryFactory(slug="partners", visibility=Category.Visibility.PARTNERS)
    staff = CategoryFactory(slug="staff", visibility=Category.Visibility.STAFF, product=ProductFactory(vendor=vendor))
    topic = services.topic_create(author=author, category=public, kind="question", title="Q", body="B")
    other = MembershipFactory().user
    reply = services.post_create(author=other, topic=topic, body="answer")
    staff_topic = TopicFactory(category=staff, author=vendor_staff)
    return {
        "users": {"anonymous": None, "engineer": MembershipFactory().user, "author": author,
                  "moderator": moderator, "vendor_staff": vendor_staff},
        "topic": topic, "reply": reply, "partners": partners, "staff_topic": staff_topic,
    }  # fmt: skip


# (method, url template, expected status per role in ROLES order). 302 to sign-in for anonymous
# writes; 404 where the thing must not be admitted to exist; 403 for signed-in people without the right.
MATRIX = [
    ("get", "/forums/", [200, 200, 200, 200, 200]),
    ("get", "/forums/c/public/", [200, 200, 200, 200, 200]),
    ("get", "/forums/c/partners/", [404, 200, 200, 200, 200]),
    ("get", "/forums/c/staff/", [404, 404, 404, 200, 200]),
    ("get", "/forums/t/{staff_topic}/", [404, 404, 404, 200, 200]),
    ("get", "/forums/t/{topic}/", [200, 200, 200, 200, 200]),
    ("get", "/forums/t/{topic}/unread/", [302, 302, 302, 302, 302]),
    ("get", "/forums/p/{reply}/", [302, 302, 302, 302, 302]),
    ("get", "/forums/c/public/new/", [302, 200, 200, 200, 200]),
    ("get", "/forums/p/{reply}/edit/", [302, 403, 403, 200, 403]),
    ("get", "/forums/p/{first}/edit/", [302, 403, 200, 200, 403]),
    ("get", "/forums/p/{reply}/flag/", [302, 200, 200, 200, 200]),
    ("get", "/forums/p/{reply}/history/", [302, 403, 403, 200, 403]),
    ("get", "/forums/t/{topic}/move/", [302, 403, 403, 200, 403]),
    ("get", "/forums/t/{topic}/merge/", [302, 403, 403, 200, 403]),
    ("get", "/forums/moderation/", [302, 403, 403, 200, 403]),
    ("get", "/forums/moderation/log/", [302, 403, 403, 200, 403]),
    ("get", "/forums/notifications/", [302, 200, 200, 200, 200]),
    ("get", "/forums/settings/", [302, 200, 200, 200, 200]),
    ("get", "/forums/collaboration/", [200, 200, 200, 200, 200]),
    ("get", "/forums/search/?q=x", [200, 200, 200, 200, 200]),
    ("get", "/search/?q=x", [200, 200, 200, 200, 200]),
    ("post", "/forums/t/{topic}/reply/", [302, 302, 302, 302, 302]),
    ("post", "/forums/p/{reply}/vote/", [302, 302, 302, 302, 302]),
    ("post", "/forums/t/{topic}/accept/", [302, 403, 302, 302, 403]),
    ("post", "/forums/t/{topic}/follow/", [302, 302, 302, 302, 302]),
    ("post", "/forums/t/{topic}/moderate/", [302, 403, 403, 302, 403]),
    ("post", "/forums/p/{reply}/moderate/", [302, 403, 403, 302, 403]),
    ("post", "/forums/p/{reply}/delete/", [302, 403, 403, 403, 403]),
    ("get", "/forums/c/partners/new/", [404, 200, 200, 200, 200]),
    ("get", "/forums/c/staff/new/", [404, 404, 404, 200, 200]),
    ("post", "/forums/c/public/follow/", [302, 302, 302, 302, 302]),
    ("post", "/forums/p/{reply}/flag/", [302, 302, 302, 302, 302]),
    ("post", "/forums/p/{reply}/edit/", [302, 403, 403, 200, 403]),
    ("post", "/forums/t/{topic}/move/", [302, 403, 403, 200, 403]),
    ("post", "/forums/t/{topic}/merge/", [302, 403, 403, 200, 403]),
    ("post", "/forums/t/{staff_topic}/reply/", [404, 404, 404, 302, 302]),
    ("post", "/forums/notifications/read/", [302, 302, 302, 302, 302]),
    ("get", "/forums/unsubscribe/forged-token/", [400, 400, 400, 400, 400]),
]
POST_DATA = {"reply": {"body": "hello"}, "vote": {"vote": "up"}, "accept": {"post": "{reply}"},
             "follow": {"follow": "1"}, "moderate": {"action": "pin"}, "flag": {"reason": "spam"}}  # fmt: skip


@pytest.mark.parametrize(("method", "template", "expected"), MATRIX)
def test_permission_matrix(matrix, method, template, expected, settings):
    ids = {"topic": matrix["topic"].pk, "reply": matrix["reply"].pk, "staff_topic": matrix["staff_topic"].pk,
           "first": matrix["topic"].posts.get(number=1).pk}  # fmt: skip
    url = template.format(**ids)
    action = url.rstrip("/").rsplit("/", 1)[-1]
    data = {k: v.format(**ids) for k, v in POST_DATA.get(action, {}).items()}
    got = []
    for role in ROLES:
        response = getattr(_client(matrix["users"][role]), method)(url, data)
        got.append(response.status_code)
        if response.status_code == 302 and role == "anonymous" and expected[0] == 302 and method == "post":
            assert "/accounts/login/" in response["Location"], url
    assert got == expected, f"{method.upper()} {url}: {dict(zip(ROLES, got, strict=True))}"


def test_sign_in_with_password_then_post(topic, answerer):
    client = Client()
    assert client.login(email=answerer.email, password=PASSWORD)
    client.post(f"/forums/t/{topic.pk}/reply/", {"body": "signed in"})
    assert Post.objects.filter(topic=topic, author=answerer).exists()
    assert Notification.objects.filter(user=topic.author).exists() is False


def test_forum_pages_show_the_unread_notification_count(topic, asker, answerer):
    services.post_create(author=answerer, topic=topic, body="reply")
    services.subscription_set(user=asker, topic=topic, following=True)
    services.post_create(author=answerer, topic=topic, body="another")
    html = _client(asker).get(topic.get_absolute_url()).content.decode()
    assert re.search(r"Notifications <span class=\"badge badge-warn\">1</span>", html)


def test_certification_badges_come_from_one_call_for_all_authors_on_the_page(topic, answerer, monkeypatch):
    add_replies(topic, 5, author=answerer)
    calls = []

    def badges(*, user_ids):
        calls.append(set(user_ids))
        return {answerer.pk: [{"name": "Certified Kubernetes Operator", "vendor": "Nimbus", "url": "/verify/X1/"}]}

    monkeypatch.setattr("certifications.certificates.selectors.certification_badges_for_users", badges)
    html = _client().get(topic.get_absolute_url()).content.decode()
    assert calls == [{topic.author_id, answerer.pk}]
    assert html.count("Certified Kubernetes Operator") == 5 and 'href="/verify/X1/"' in html


# --- mention picker -------------------------------------------------------------------------
def _mentions(client, **params):
    from django.urls import reverse

    return client.get(reverse("forums:mention_candidates"), params)


def test_mention_picker_offers_readers_of_the_topic_by_handle_or_name_without_addresses(answerer):
    staff_only = CategoryFactory(visibility=Category.Visibility.STAFF)
    moderator = UserFactory(full_name="Mo Derator", is_superuser=True)
    topic = TopicFactory(category=staff_only, author=moderator)
    first = MembershipFactory(user__full_name="Wang Wei").user
    second = UserFactory(full_name="Wang Wei", is_superuser=True)
    client = _client(moderator)
    body = _mentions(client, topic=topic.pk, q="wang").json()
    assert body == {"results": [{"handle": second.handle, "name": "Wang Wei"}]}
    assert first.email not in str(body) and second.email not in str(body)
    public = TopicFactory(author=answerer)
    results = _mentions(_client(answerer), topic=public.pk, q="@Wei").json()["results"]
    assert {r["handle"] for r in results} == {first.handle, second.handle}
    assert _mentions(_client(answerer), topic=public.pk, q="w").json() == {"results": []}
    assert _mentions(_client(answerer), category=public.category.slug, q=first.handle[:4]).status_code == 200


def test_mention_picker_answers_only_those_who_may_read_there(answerer):
    staff_only = CategoryFactory(visibility=Category.Visibility.STAFF)
    topic = TopicFactory(category=staff_only, author=UserFactory(is_superuser=True))
    assert _mentions(_client(answerer), topic=topic.pk, q="wang").status_code == 404
    assert _mentions(_client(answerer), category=staff_only.slug, q="wang").status_code == 404
    assert _mentions(_client(answerer), topic="x", q="wang").status_code == 404
    assert _mentions(_client(), topic=topic.pk, q="wang").status_code == 302


def test_post_forms_carry_the_mention_picker(topic, asker):
    from django.urls import reverse

    body = _client(asker).get(topic.get_absolute_url()).content.decode()
    assert f'data-mention-url="{reverse("forums:mention_candidates")}?topic={topic.pk}"' in body
    assert "js/forums.js" in body


# --- markup ---------------------------------------------------------------------------------
# HTML's valid global date and time string: at most three digits of a second, then Z or an offset.
HTML_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?(Z|[+-]\d\d:\d\d)")


def test_time_elements_carry_valid_html_datetimes(topic, asker):
    add_replies(topic, 2)
    Topic.objects.filter(pk=topic.pk).update(last_activity_at=timezone.now().replace(microsecond=123456))
    client = _client(asker)
    for url in ["/forums/", topic.category.get_absolute_url(), topic.get_absolute_url()]:
        values = re.findall(r'<time datetime="([^"]*)"', client.get(url).content.decode())
        assert values, url
        assert [v for v in values if not HTML_DATETIME.fullmatch(v)] == [], url
