"""Signed-out visitors get the topic page's posts from the cache; whatever they show must still be
current on the next request."""

from django.contrib.auth.models import Group
from django.urls import reverse

from certifications.certificates.lifecycle import certificate_revoke
from certifications.models import Certificate
from community import services as community_services
from forums import services
from tests.factories import certifications as cf
from tests.factories.community import UserFactory
from tests.factories.forums import add_replies
from tests.forums.test_views import _client


def _page(topic) -> str:
    return _client().get(topic.get_absolute_url()).content.decode()


def _posts(html: str) -> str:
    return html[html.index('class="post-stream"') : html.index('class="reply"')]


def test_a_repeat_signed_out_visit_is_served_from_the_cache_with_the_same_posts(topic, answerer, count_queries):
    add_replies(topic, 19, author=answerer)
    first = _page(topic)
    with count_queries() as repeat:
        second = _page(topic)
    assert _posts(second) == _posts(first)
    assert "Bob Answerer" in _posts(second) and "#20" in _posts(second)
    # The topic and its posts are read to check the cached copy; the authors' marks are not.
    assert "community_membership" not in repeat.sql()
    repeat.assert_at_most(4)


def test_edits_votes_moderation_and_accepted_answers_show_at_once(topic, asker, answerer, moderator):
    reply = services.post_create(author=answerer, topic=topic, body="First thoughts")
    assert "First thoughts" in _page(topic)

    services.post_edit(post=reply, editor=answerer, body="Second thoughts")
    assert "Second thoughts" in _page(topic) and "First thoughts" not in _page(topic)

    services.post_vote(post=reply, user=asker, value=1)
    assert '<strong>1</strong> <span class="small muted">vote' in _page(topic)

    services.topic_accept_answer(topic=topic, post=reply, user=asker)
    assert "Go to the answer in the thread" in _page(topic)

    services.post_set_hidden(post=reply, moderator=moderator, hidden=True, reason="spam")
    html = _page(topic)
    assert "Second thoughts" not in html and "This post was hidden by a moderator." in html


def test_a_new_reply_and_a_renamed_author_show_at_once(topic, answerer):
    _page(topic)
    services.post_create(author=answerer, topic=topic, body="Late answer")
    assert "Late answer" in _page(topic)
    answerer.full_name = "Roberta Answerer"
    answerer.save()
    assert "Roberta Answerer" in _page(topic)


def test_a_revoked_certificate_loses_its_badge_at_once(topic, answerer, django_capture_on_commit_callbacks):
    certification = cf.certification(title="Certified Storage Engineer")
    certificate = cf.certificate(holder=answerer, certification_page=certification)
    services.post_create(author=answerer, topic=topic, body="Reply")
    assert "Certified Storage Engineer" in _page(topic)

    manager = UserFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            certificate=certificate,
            reason=Certificate.RevocationReason.EXAM_MISCONDUCT,
            note="Exam fraud",
            revoked_by=manager,
        )
    assert "Certified Storage Engineer" not in _page(topic)


def test_company_and_group_changes_show_at_once(topic, answerer, vendor, django_capture_on_commit_callbacks):
    services.post_create(author=answerer, topic=topic, body="Reply")
    membership = answerer.memberships.get()
    assert membership.organisation.name in _page(topic)

    community_services.organisation_update(organisation=membership.organisation, name="Renamed Networks Ltd")
    assert "Renamed Networks Ltd" in _page(topic)

    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_end(membership=membership)
    assert "Renamed Networks Ltd" not in _page(topic)

    assert "Vendor staff" not in _page(topic)
    community_services.vendor_staff_add(vendor=vendor, user=answerer)
    assert "Vendor staff" in _page(topic)


def test_moderator_marks_follow_group_permissions(topic, answerer, moderator):
    services.post_create(author=answerer, topic=topic, body="Reply")
    assert '<span class="badge badge-warn">Moderator</span>' not in _page(topic)
    answerer.groups.add(Group.objects.get(name="Moderators"))
    assert '<span class="badge badge-warn">Moderator</span>' in _page(topic)


def test_each_language_has_its_own_copy(topic, answerer):
    services.post_create(author=answerer, topic=topic, body="Reply")
    assert "Link to this post" in _page(topic)
    # The browser's language sends a signed-out reader to the page's Chinese address.
    chinese = _client().get(topic.get_absolute_url(), headers={"accept-language": "zh-hans"}, follow=True)
    chinese = chinese.content.decode()
    assert "Link to this post" not in chinese and "此帖子的链接" in chinese


def test_signed_in_people_still_get_their_own_controls(topic, asker, answerer):
    reply = services.post_create(author=answerer, topic=topic, body="Reply")
    _page(topic)
    html = _client(answerer).get(topic.get_absolute_url()).content.decode()
    assert reverse("forums:post_edit", kwargs={"post_id": reply.pk}) in html
    assert reverse("forums:post_edit", kwargs={"post_id": reply.pk}) not in _page(topic)
