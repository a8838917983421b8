"""A worker killed (SIGKILL) while a webhook request is in flight: a new worker delivers the
message under the same webhook-id once the dead worker's claim runs out, and the receiver
acknowledges (2xx, read by a live sender) that id exactly once; the log shows one success."""

import os
import signal
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from community.celery import app as celery_app
from community.models import WebhookMessage
from community.tasks import webhook_message_deliver
from community.webhooks import endpoints, publishing
from community.webhooks.delivery import messages_due
from tests.factories.community import VendorFactory
from tests.integration.conftest import Worker
from tests.webhook_receiver import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30


def _wait(check, what: str):
    deadline = time.monotonic() + TIMEOUT
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def own_worker(celery_worker, tmp_path):
    """Workers of this test's own queue (the session's worker must not take its tasks), allowed to
    reach loopback receivers."""
    queue = f"webhooks-{uuid.uuid4().hex[:8]}"
    env = {**celery_worker.env, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true", "WEBHOOKS_TIMEOUT_SECONDS": "20"}
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    started = []

    def start(n: int) -> Worker:
        worker = Worker(log_path=tmp_path / f"worker{n}.log", mail_dir=celery_worker.mail_dir, queue=queue, env=env)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
    celery_app.conf.task_default_queue = previous


def test_a_worker_killed_mid_delivery_leaves_the_message_to_the_next_which_delivers_it_once(own_worker, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    first = own_worker(1)
    with Receiver(hold=True) as receiver:
        endpoint = endpoints.endpoint_create(
            vendor=VendorFactory(), url=receiver.url, description="", event_types=["x"], enabled=True, user=None
        )
        receiver.secret = endpoint.secret
        [message] = publishing.messages_queue(endpoints=[endpoint], event_type="x", payload="{}", at=timezone.now())
        assert receiver.arrived.wait(TIMEOUT), first.log()

        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait()
        receiver.hold = False
        receiver.release.set()
        message.refresh_from_db()
        assert message.status == WebhookMessage.Status.SENDING and not message.attempts.exists()

        second = own_worker(2)
        started = time.monotonic()
        # Time passes beyond the dead worker's claim (timeout x 2 + 30 s); the sweep finds the
        # message again and queues it (the worker's own sends would go to its default queue).
        WebhookMessage.objects.filter(pk=message.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
        assert messages_due() == [message.pk]
        webhook_message_deliver.delay(message_id=message.pk)
        _wait(
            lambda: WebhookMessage.objects.filter(pk=message.pk, status=WebhookMessage.Status.DELIVERED).exists(),
            f"the delivery\n{second.log()}",
        )
        latency = time.monotonic() - started
    assert [r.webhook_id for r in receiver.received] == [message.uid, message.uid]
    assert all(r.verified for r in receiver.received)
    assert receiver.acknowledged(message.uid) == 1
    assert list(message.attempts.values_list("succeeded", flat=True)) == [True]
    print(f"redelivery after the kill: {latency:.2f}s")
