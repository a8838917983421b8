"""The catalogue, course and lesson pages run the same number of queries with 5 or 50 items
(courses, lessons, learners), under a fixed ceiling."""

import pytest

from courses import selectors, services
from tests.factories import courses as build
from tests.factories.community import ProductFactory, UserFactory


def add_courses(academy, n, product):
    for _i in range(n):
        course = build.course(academy_page=academy, lessons=1)
        course.products.add(product)
        course.save_revision().publish()


def measure(client, count_queries, url):
    client.get(url)  # warm per-process caches (content types, site root paths)
    with count_queries() as queries:
        response = client.get(url)
    assert response.status_code == 200
    return queries


@pytest.mark.django_db
def test_catalogue_queries_do_not_grow_with_courses(client, user, count_queries):
    academy = build.academy()
    product = ProductFactory(vendor=academy.vendor)
    add_courses(academy, 5, product)
    build.learning_path(academy_page=academy, courses=list(selectors.courses_live()[:2]))
    for course in selectors.courses_live()[:3]:
        services.course_enrol(user=user, course=course)
    client.force_login(user)
    few = measure(client, count_queries, "/courses/")
    add_courses(academy, 45, product)
    for _i in range(5):
        build.learning_path(academy_page=academy, courses=list(selectors.courses_live()[:5]))
    many = measure(client, count_queries, "/courses/")
    assert len(few) == len(many), many.sql()
    # One more than before localisation: Wagtail reads the active locale to find the home page's
    # translation before routing (a constant, whatever the data).
    many.assert_at_most(17)


@pytest.mark.django_db
def test_course_page_queries_do_not_grow_with_lessons_or_learners(client, user, count_queries):
    course = build.course(lessons=5)
    services.course_enrol(user=user, course=course)
    services.lesson_complete(user=user, lesson=selectors.lessons_live_of(course=course).first())
    client.force_login(user)
    few = measure(client, count_queries, course.url)
    for _i in range(45):
        build.lesson(course_page=course)
    for learner in UserFactory.create_batch(45):
        services.course_enrol(user=learner, course=course)
    many = measure(client, count_queries, course.url)
    assert len(few) == len(many), many.sql()
    # One more than before localisation: Wagtail reads the active locale to find the home page's
    # translation before routing (a constant, whatever the data).
    many.assert_at_most(17)


@pytest.mark.django_db
def test_lesson_page_queries_do_not_grow_with_lessons_or_learners(client, user, count_queries):
    course = build.course(lessons=5)
    lesson = selectors.lessons_live_of(course=course).first()
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    few = measure(client, count_queries, lesson.url)
    for _i in range(45):
        build.lesson(course_page=course)
    for learner in UserFactory.create_batch(45):
        services.course_enrol(user=learner, course=course)
        services.lesson_complete(user=learner, lesson=lesson)
    many = measure(client, count_queries, lesson.url)
    assert len(few) == len(many), many.sql()
    # One more than before localisation: Wagtail reads the active locale to find the home page's
    # translation before routing (a constant, whatever the data).
    many.assert_at_most(15)


@pytest.mark.django_db
def test_my_learning_queries_do_not_grow_with_enrolments(client, user, count_queries):
    academy = build.academy()

    def enrol_in(n):
        courses = [build.course(academy_page=academy, lessons=2) for _i in range(n)]
        for course in courses:
            services.course_enrol(user=user, course=course)
            services.lesson_complete(user=user, lesson=selectors.lessons_live_of(course=course).first())
        build.learning_path(academy_page=academy, courses=courses[:3])

    enrol_in(5)
    client.force_login(user)
    few = measure(client, count_queries, "/courses/my-learning/")
    enrol_in(45)
    many = measure(client, count_queries, "/courses/my-learning/")
    assert len(few) == len(many), many.sql()
    many.assert_at_most(10)


@pytest.mark.django_db
def test_a_signed_out_course_page_is_routed_in_a_fixed_number_of_queries(client, count_queries):
    """The home page finds a page four levels down by its URL path at once (site, home, page and
    its specific row), instead of two queries per level of the tree."""
    course = build.course(lessons=3)
    queries = measure(client, count_queries, course.url)
    assert queries.sql().count('FROM "wagtailcore_page" WHERE') <= 3, queries.sql()
    # And the active locale, which Wagtail's localisation reads to find the home page's translation.
    queries.assert_at_most(9)


@pytest.mark.django_db
def test_routing_by_url_path_serves_only_live_pages_and_404s_the_rest(client):
    academy = build.academy()
    live = build.course(academy_page=academy)
    draft = build.course(academy_page=academy, live=False)
    assert client.get(live.url).status_code == 200
    assert client.get(f"{academy.url}{draft.slug}/").status_code == 404
    assert client.get(f"{academy.url}no-such-course/").status_code == 404
    assert client.get(f"{live.url}no-such-lesson/").status_code == 404
    assert client.get(academy.url).status_code == 200


@pytest.mark.django_db
def test_catalogue_cards_count_published_lessons_and_list_each_course_once():
    academy = build.academy()
    first, second = ProductFactory(vendor=academy.vendor), ProductFactory(vendor=academy.vendor)
    course = build.course(academy_page=academy, lessons=3)
    build.lesson(course_page=course, live=False)
    course.products.add(first, second)
    other = build.course(academy_page=academy, lessons=1)
    other.products.add(first)
    for page in (course, other):
        page.save_revision().publish()

    cards = {card.pk: card for card in selectors.catalogue_search(product_slug=first.slug)}
    assert list(selectors.catalogue_search(product_slug=second.slug)) == [course]
    assert sorted(cards) == sorted([course.pk, other.pk])
    assert cards[course.pk].lesson_count == 3 and cards[other.pk].lesson_count == 1
