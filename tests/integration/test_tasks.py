"""Tasks sent through Redis are executed by the real worker process, and what they do is seen
in PostgreSQL (and, for e-mail, in the worker's file-based outbox)."""

import email
import re
import time
from datetime import timedelta
from email.message import Message
from urllib.parse import urlsplit

import pytest
from celery.result import AsyncResult, EagerResult
from django.urls import reverse
from django.utils import timezone

from community.models import Invitation, Membership
from community.services import invitation_accept, invitation_create
from community.tasks import invitation_send, invitations_expire
from tests.factories.community import MembershipFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TASK_TIMEOUT = 30
SEPARATOR = b"-" * 79 + b"\n"


def _invitation(*, organisation, email: str, expired_days_ago: int) -> Invitation:
    expires_at = timezone.now() - timedelta(days=expired_days_ago)
    return Invitation.objects.create(
        organisation=organisation,
        email=email,
        token_hash=Invitation.hash_token(email),
        created_at=expires_at - timedelta(days=14),
        expires_at=expires_at,
    )


def _wait_for_mail(directory, *, count: int) -> list[Message]:
    deadline = time.monotonic() + TASK_TIMEOUT
    while time.monotonic() < deadline:
        # The file backend writes each message followed by a line of dashes; a file without
        # that ending is still being written.
        contents = [path.read_bytes() for path in sorted(directory.glob("*.log"))]
        chunks = [chunk for content in contents if content.endswith(SEPARATOR) for chunk in content.split(SEPARATOR)]
        messages = [email.message_from_bytes(chunk.strip() + b"\n") for chunk in chunks if chunk.strip()]
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    raise AssertionError(f"No e-mail from the worker in {directory} after {TASK_TIMEOUT}s")


def _text_body(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("The e-mail has no text/plain part")


def test_invitations_expire_runs_on_the_worker_and_purges_old_invitations_in_postgresql(celery_worker, organisation):
    old = [_invitation(organisation=organisation, email=f"old{n}@example.com", expired_days_ago=120) for n in range(3)]
    recent = _invitation(organisation=organisation, email="recent@example.com", expired_days_ago=5)

    result = invitations_expire.delay()

    assert isinstance(result, AsyncResult) and not isinstance(result, EagerResult)
    assert result.get(timeout=TASK_TIMEOUT) == 3
    assert not Invitation.objects.filter(pk__in=[invitation.pk for invitation in old]).exists()
    assert Invitation.objects.filter(pk=recent.pk).exists()
    celery_worker.wait_for_log(f"Task community.tasks.invitations_expire[{result.id}] succeeded")


def test_invitation_email_is_written_by_the_worker_with_a_working_accept_link(
    celery_worker, worker_outbox, organisation, partner_admin
):
    invitation = invitation_create(
        organisation=organisation, email="Newcomer@Example.com", role="engineer", invited_by=partner_admin
    )

    [message] = _wait_for_mail(worker_outbox, count=1)
    assert message["To"] == "newcomer@example.com"
    body = _text_body(message)
    assert organisation.name in body
    match = re.search(r"http://testserver/invitations/(?P<token>[\w-]+)/", body)
    assert match, body
    token = match["token"]
    assert Invitation.hash_token(token) == invitation.token_hash
    celery_worker.wait_for_log("community.tasks.invitation_send")

    newcomer = UserFactory(email="newcomer@example.com")
    membership = invitation_accept(token=token, user=newcomer)

    assert membership.organisation == organisation
    assert Membership.objects.filter(user=newcomer, left_at__isnull=True).count() == 1


def test_invitation_sent_from_the_members_page_reaches_an_existing_account_that_accepts_it(
    celery_worker, worker_outbox, home_page, organisation, partner_admin, client
):
    engineer = UserFactory(email="engineer@example.com")
    client.force_login(partner_admin)
    members_url = reverse("community:organisation_members", kwargs={"slug": organisation.slug})

    response = client.post(members_url, {"email": engineer.email, "role": "engineer"})

    assert response.status_code == 302
    [message] = _wait_for_mail(worker_outbox, count=1)
    path = urlsplit(re.search(r"http://testserver(/invitations/[\w-]+/)", _text_body(message))[0]).path
    client.force_login(engineer)
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 302
    assert Membership.objects.get(user=engineer, left_at__isnull=True).organisation == organisation
    assert client.get(path).status_code == 410


def test_invitation_email_is_not_sent_for_an_invitation_revoked_before_the_worker_runs(celery_worker, worker_outbox):
    membership = MembershipFactory(role="admin")
    invitation = _invitation(organisation=membership.organisation, email="late@example.com", expired_days_ago=-7)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])

    result = invitation_send.delay(invitation_id=invitation.pk, token="late@example.com")

    assert result.get(timeout=TASK_TIMEOUT) is False
    celery_worker.wait_for_log(f"Task community.tasks.invitation_send[{result.id}] succeeded")
    assert not list(worker_outbox.glob("*.log"))
