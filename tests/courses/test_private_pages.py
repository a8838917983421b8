"""Pages in a private section (a view restriction on the page or an ancestor) stay out of the
public lists and are served only to whom the restriction admits."""

import pytest
from wagtail.models import PageViewRestriction

from courses import selectors
from tests.factories import courses as build


def _restrict(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.mark.django_db
@pytest.mark.parametrize("restricted", ["academy", "course"])
def test_a_private_course_is_left_out_of_the_catalogue_and_asks_visitors_to_sign_in(client, user, restricted):
    academy = build.academy()
    private = build.course(academy_page=academy, title="Partner-only course")
    public = build.course(academy_page=build.academy(), title="Open course")
    _restrict(academy if restricted == "academy" else private)

    assert list(selectors.courses_live()) == [public]
    assert "Partner-only course" not in client.get("/courses/").content.decode()
    assert client.get(private.url).status_code == 302
    assert client.get(public.url).status_code == 200
    client.force_login(user)
    assert client.get(private.url).status_code == 200
