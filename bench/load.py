"""`make load`: the site under concurrent traffic, on loopback only, for a bounded time.

    .venv/bin/python bench/load.py [--users 200] [--spawn-rate 20] [--time 60] [--port 8107] [--scale 0.01]

Runs gunicorn (4 workers, production settings) on PostgreSQL and Redis with a Celery worker,
drives it with Locust headless from 127.0.0.1 (mix in bench/locustfile.py), stops everything it
started, and reports throughput and p50/p95/p99 per endpoint with the errors. Results:
bench/results/load-latest.json; logs and Locust's CSV files under var/bench/.

Needs PostgreSQL and Redis: LOAD_DATABASE_URL (default: database partner_academy_bench_load on
127.0.0.1, created if missing, dataset generated once at --scale) and LOAD_REDIS_URL (default
redis://127.0.0.1:6379/7). The in-progress attempts it autosaves are started for this run."""

import argparse
import base64
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
OUTPUT = ROOT / "bench" / "results" / "load-latest.json"
VENV_BIN = Path(sys.executable).parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/partner_academy_bench_load"
sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "200")))
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--time", type=int, default=int(os.environ.get("LOAD_TIME", "60")), help="seconds")
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8107")))
    parser.add_argument("--scale", type=float, default=float(os.environ.get("LOAD_SCALE", "0.01")))
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args(argv)


def server_environment(args) -> dict:
    """Production settings with local services; TLS is the proxy's job, imitated by headers."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "community.settings.production",
            "DATABASE_URL": os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE),
            "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/7"),
            "SECRET_KEY": env.get("LOAD_SECRET_KEY", secrets.token_urlsafe(50)),
            "CREDENTIAL_SIGNING_KEY": env.get(
                "LOAD_CREDENTIAL_SIGNING_KEY", base64.b64encode(secrets.token_bytes(32)).decode()
            ),
            # Every simulated visitor comes from 127.0.0.1: one address's look-up budget would
            # turn the verification traffic into 429s.
            "VERIFY_RATE_LIMIT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{args.port}",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{args.port}",
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{args.port}",
            "WEB_CONCURRENCY": str(args.workers),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(VAR / "celerybeat-schedule"),
        }
    )
    return env


def database_ensure(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *arguments: str) -> None:
    subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True)


def fixtures() -> dict:
    """Sessions for signed-in simulated users and the URLs they visit, made in-process."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import AnonymousUser

    from certifications.exams import services as exam_services
    from certifications.models import Certificate, CertificationPage, Exam
    from community.models import User
    from courses.models import CoursePage, Enrolment
    from forums.permissions import ForumPermissions
    from forums.selectors import topics_listed

    store = import_module(settings.SESSION_ENGINE).SessionStore

    def session(user) -> str:
        s = store()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    people = User.objects.filter(email__endswith="@dataset.example").order_by("pk")
    learners = []
    for enrolment in Enrolment.objects.select_related("user", "course").order_by("pk")[:100]:
        lessons = [lesson.url for lesson in enrolment.course.get_children().live()]
        learners.append({"session": session(enrolment.user), "lesson_urls": lessons})
    members = [{"session": session(user)} for user in people[:100]]

    def topics_seen_by(user) -> list[int]:
        """The most active topics `user` may open: a topic in a partners-only or staff category
        is a 404 for the others, as it should be, and not a load test's error."""
        topics = topics_listed(permissions=ForumPermissions(user)).order_by("-last_activity_at")
        return list(topics.values_list("pk", flat=True)[:200])

    exams = list(Exam.objects.order_by("pk"))
    candidates = []
    for n in range(60):
        user, _created = User.objects.get_or_create(
            email=f"load-{n}@bench.example", defaults={"full_name": f"Load candidate {n}"}
        )
        attempt = exam_services.attempt_start(exam=exams[n % len(exams)], user=user)
        candidates.append(
            {"session": session(user), "attempt": str(attempt.public_id), "questions": attempt.questions.count()}
        )
    return {
        "course_urls": [c.url for c in CoursePage.objects.live()[:50]],
        "certification_urls": [c.url for c in CertificationPage.objects.live()[:50]],
        "public_topic_ids": topics_seen_by(AnonymousUser()),
        "member_topic_ids": topics_seen_by(people[0]),
        "serials": list(Certificate.objects.order_by("pk").values_list("serial", flat=True)[:200]),
        "learners": learners,
        "members": members,
        "candidates": candidates,
    }


def wait_until_up(port: int, seconds: int = 60) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-Proto": "https"})
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(1)
    raise SystemExit(f"gunicorn did not answer on 127.0.0.1:{port} within {seconds} s (see var/bench/gunicorn.log)")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def report(args, stats_csv: Path) -> dict:
    rows = []
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "endpoint": row["Name"],
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "requests_per_s": round(float(row["Requests/s"]), 1),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                }
            )
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "users": args.users,
        "duration_s": args.time,
        "gunicorn_workers": args.workers,
        "scale": args.scale,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "endpoints": rows,
    }


def print_report(result: dict) -> None:
    print(
        f"\nLoad: {result['users']} users for {result['duration_s']} s, {result['gunicorn_workers']} gunicorn workers"
    )
    print(f"{'endpoint':<28}{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for row in result["endpoints"]:
        print(
            f"{row['endpoint']:<28}{row['requests']:>9}{row['failures']:>8}{row['requests_per_s']:>8}"
            f"{row['p50_ms']:>8}{row['p95_ms']:>8}{row['p99_ms']:>8}"
        )
    errors = sum(r["failures"] for r in result["endpoints"] if r["endpoint"] == "Aggregated")
    print(f"Errors: {errors} (target: zero at 200 users)")


def main(argv=None) -> None:
    args = parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    env = server_environment(args)
    database_ensure(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from community.models import User

    if not User.objects.filter(email__endswith="@dataset.example").exists():
        call_command("generate_dataset", scale=args.scale)
    fixtures_path = VAR / "load-fixtures.json"
    fixtures_path.write_text(json.dumps(fixtures()))

    processes = []
    try:
        with (VAR / "gunicorn.log").open("w") as gunicorn_log, (VAR / "celery.log").open("w") as celery_log:
            processes.append(
                subprocess.Popen(
                    [str(VENV_BIN / "gunicorn"), "community.wsgi", "--access-logfile", "-"],
                    cwd=ROOT,
                    env=env,
                    stdout=gunicorn_log,
                    stderr=subprocess.STDOUT,
                )
            )
            processes.append(
                subprocess.Popen(
                    [str(VENV_BIN / "celery"), "-A", "community", "worker", "-l", "warning", "--concurrency", "2"],
                    cwd=ROOT,
                    env=env,
                    stdout=celery_log,
                    stderr=subprocess.STDOUT,
                )
            )
            wait_until_up(args.port)
            prefix = VAR / "load"
            subprocess.run(
                [
                    str(VENV_BIN / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.time}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                ],
                cwd=ROOT,
                env={**env, "LOAD_FIXTURES": str(fixtures_path)},
                check=False,
                timeout=args.time + 120,
            )
    finally:
        for process in reversed(processes):
            stop(process)
    result = report(args, VAR / "load_stats.csv")
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2) + "\n")
    print_report(result)
    print(f"\nWritten to {OUTPUT}")


if __name__ == "__main__":
    main()
