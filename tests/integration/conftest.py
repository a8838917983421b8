"""The integration suite: PostgreSQL, Redis and a real Celery worker process.

It refuses to run without them (a clear error, never a silent skip): DATABASE_URL must point at
PostgreSQL and REDIS_URL at Redis. The session starts one `celery worker` subprocess on the
pytest-django test database, with Redis as its broker, and this process sends tasks through the
same broker (not eagerly). Each session uses its own queue name, so messages left in Redis by an
earlier run never reach this worker. The worker's log is attached to every failing test's report.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from community.celery import app as celery_app

WORKER_START_TIMEOUT = 60
WORKER_STOP_TIMEOUT = 20
WORKER_IDLE_TIMEOUT = 60
_started_worker: "Worker | None" = None  # the session's worker once a test has started it
CELERY = Path(sys.executable).with_name("celery")


def _missing_services() -> str | None:
    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        problems.append(
            f"DATABASE_URL must point at PostgreSQL (the database engine is {engine}); "
            "for example DATABASE_URL=postgres://postgres@127.0.0.1:5432/partner_academy"
        )
    if not os.environ.get("REDIS_URL"):
        problems.append("REDIS_URL must point at Redis, for example REDIS_URL=redis://127.0.0.1:6379/0")
    if not problems:
        return None
    return "The integration suite needs PostgreSQL, Redis and a Celery worker:\n  - " + "\n  - ".join(problems)


def pytest_configure(config):
    if problem := _missing_services():
        raise pytest.UsageError(problem)


def _database_url(database: dict) -> str:
    user = quote(database.get("USER") or "", safe="")
    password = quote(str(database.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{quote(database['NAME'], safe='')}"


class Worker:
    """A `celery worker` subprocess and its log file."""

    def __init__(self, *, log_path: Path, mail_dir: Path, queue: str, env: dict):
        self.log_path, self.mail_dir, self.queue, self.env = log_path, mail_dir, queue, env
        self.hostname = f"{queue}@{socket.gethostname()}"
        self.process: subprocess.Popen | None = None

    def log(self, start: int = 0) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open(encoding="utf-8", errors="replace") as handle:
            handle.seek(start)
            return handle.read()

    def wait_for_log(self, text: str, *, timeout: float = 30) -> str:
        """The log once it contains `text`: a result reaches Redis before the worker logs it."""
        deadline = time.monotonic() + timeout
        while text not in (log := self.log()):
            if time.monotonic() > deadline:
                raise AssertionError(f"The worker never logged {text!r}")
            time.sleep(0.05)
        return log

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def start(self) -> None:
        command = [
            str(CELERY),
            "-A",
            "community",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            f"--queues={self.queue}",
            f"--hostname={self.hostname}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + WORKER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"The Celery worker exited with code {self.process.returncode} while starting:\n{self.log()}"
                )
            if celery_app.control.ping(destination=[self.hostname], timeout=0.5):
                return
        self.stop()
        raise RuntimeError(f"The Celery worker did not answer a ping within {WORKER_START_TIMEOUT}s:\n{self.log()}")

    def wait_until_idle(self, *, timeout: float = WORKER_IDLE_TIMEOUT) -> None:
        """Return once the queue is empty and the worker runs and holds nothing.

        A task queued by one test (a rights recompute after a membership change, say) must not
        still hold row locks when pytest-django truncates the tables: that deadlocks the flush.
        The solo pool answers control messages only between tasks, so a worker that answers
        with no active and no reserved task is idle.
        """
        deadline = time.monotonic() + timeout
        with redis.Redis.from_url(self.env["REDIS_URL"]) as broker:
            while time.monotonic() < deadline:
                if broker.llen(self.queue) == 0:
                    inspect = celery_app.control.inspect(destination=[self.hostname], timeout=1)
                    active, reserved = inspect.active(), inspect.reserved()
                    answered = active is not None and reserved is not None
                    if answered and not any(active.values()) and not any(reserved.values()):
                        return
                time.sleep(0.05)
        raise AssertionError(f"The Celery worker was still busy after {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM is Celery's warm shutdown: finish the current task, then exit.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=WORKER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """A running Celery worker on the test database and Redis; this process sends to it.

    It depends on `django_db_setup`, so it starts after the test database exists and stops
    before pytest-django drops it.
    """
    broker_url = os.environ["REDIS_URL"]
    session = uuid.uuid4().hex[:10]
    directory = tmp_path_factory.mktemp("celery")
    mail_dir = directory / "mail"
    mail_dir.mkdir()
    queue = f"integration-{session}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "community.settings.test",
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "REDIS_URL": broker_url,
        "TEST_CELERY_BROKER_URL": broker_url,
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
        "TEST_MEDIA_ROOT": str(directory / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    # The settings were imported before this file was, so point this process's Celery app at
    # Redis directly; eager execution would hide the broker and the worker entirely.
    overrides = {
        "broker_url": broker_url,
        "result_backend": broker_url,
        "task_always_eager": False,
        "task_default_queue": queue,
    }
    previous = {name: celery_app.conf[name] for name in overrides}
    celery_app.conf.update(overrides)
    worker = Worker(log_path=directory / "worker.log", mail_dir=mail_dir, queue=queue, env=env)
    global _started_worker
    try:
        worker.start()
        _started_worker = worker
        yield worker
    finally:
        _started_worker = None
        worker.stop()
        celery_app.conf.update(previous)


@pytest.fixture
def worker_outbox(celery_worker) -> Path:
    """The directory where the worker's file-based e-mail backend writes, emptied for this test."""
    for path in celery_worker.mail_dir.iterdir():
        path.unlink()
    return celery_worker.mail_dir


@pytest.fixture(autouse=True)
def _worker_log_on_failure(request):
    """Remember where the worker's log stood, so a failing test shows what the worker did."""
    worker = request.getfixturevalue("celery_worker") if "celery_worker" in request.fixturenames else None
    request.node.celery_worker_log_start = (worker, worker.log_size() if worker else 0)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item):
    """Before the test's fixtures are torn down (the database flush among them), let the worker
    finish whatever the test queued, whether or not the test asked for the worker."""
    if _started_worker is not None:
        _started_worker.wait_until_idle()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    worker, start = getattr(item, "celery_worker_log_start", (None, 0))
    if report.failed and worker is not None:
        report.sections.append(("Celery worker log", worker.log(start) or "(empty)"))
    return report
