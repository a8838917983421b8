"""The forums' demo: threads in every kind, and a collaboration request linked to the
marketplace demo's teamed engagement; idempotent."""

import io

import pytest
from django.core.management import call_command

from forums.demo import ENGAGEMENT_THREAD
from forums.models import Topic

pytestmark = pytest.mark.django_db


def test_the_demo_links_a_collaboration_request_to_the_teamed_engagement(home_page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert set(Topic.objects.values_list("kind", flat=True)) == set(Topic.Kind.values)
    linked = Topic.objects.get(title=ENGAGEMENT_THREAD)
    assert linked.engagement.organisation.slug == "baltic-systems" and linked.engagement.team.exists()
    topics = Topic.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Topic.objects.count() == topics
