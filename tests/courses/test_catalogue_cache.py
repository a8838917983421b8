"""Signed-out visitors get the catalogue's results from the cache; any change to what a card
shows is seen by the next visitor, and signed-in learners always see their own status."""

import pytest

from courses import services
from tests.factories import courses as build
from tests.factories.community import ProductFactory


def _catalogue(client, query=""):
    response = client.get(f"/courses/{query}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_repeated_signed_out_visit_reads_no_courses(client, count_queries):
    build.course(academy_page=build.academy(), title="Streaming replication")
    first = _catalogue(client)
    with count_queries() as queries:
        again = _catalogue(client)
    assert "Streaming replication" in first and "Streaming replication" in again
    assert "courses_coursepage" not in queries.sql(), queries.sql()


@pytest.mark.django_db
def test_published_and_unpublished_courses_show_at_once(client):
    academy = build.academy()
    build.course(academy_page=academy, title="Streaming replication")
    assert "Logical decoding" not in _catalogue(client)
    added = build.course(academy_page=academy, title="Logical decoding")
    assert "Logical decoding" in _catalogue(client)
    added.unpublish()
    assert "Logical decoding" not in _catalogue(client)


@pytest.mark.django_db
def test_a_renamed_product_shows_at_once(client):
    course = build.course(academy_page=build.academy())
    product = ProductFactory(vendor=course.get_parent().specific.vendor, name="Postgres Pro")
    course.products.add(product)
    course.save_revision().publish()
    assert "Postgres Pro" in _catalogue(client)
    product.name = "Postgres Enterprise"
    product.save()
    assert "Postgres Enterprise" in _catalogue(client)


@pytest.mark.django_db
def test_each_filter_has_its_own_results(client):
    first, second = build.academy(), build.academy()
    build.course(academy_page=first, title="Course of the first vendor")
    build.course(academy_page=second, title="Course of the second vendor")
    assert "Course of the first vendor" in _catalogue(client)
    only_second = _catalogue(client, f"?vendor={second.vendor.slug}")
    assert "Course of the second vendor" in only_second and "Course of the first vendor" not in only_second


@pytest.mark.django_db
def test_signed_in_learners_see_their_own_status_after_a_signed_out_visit(client, user):
    course = build.course(academy_page=build.academy(), lessons=1)
    _catalogue(client)
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    assert 'class="course-status"' in _catalogue(client)
    client.logout()
    assert 'class="course-status"' not in _catalogue(client)
