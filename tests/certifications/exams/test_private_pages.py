"""A certification page in a private section (a view restriction on the page or an ancestor)
stays out of the public certification list."""

import pytest
from wagtail.models import PageViewRestriction

from certifications.exams.selectors import certifications_live
from tests.factories import certifications as certs


def _restrict(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


@pytest.mark.django_db
def test_a_private_certification_is_left_out_of_the_certification_list():
    private = certs.certification(title="Internal certification")
    shown = certs.certification(title="Public certification")
    _restrict(private)
    assert list(certifications_live()) == [shown]
