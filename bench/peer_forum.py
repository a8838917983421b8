"""The peer forum reference for the topic page: django-spirit, in a virtual environment of its own
under var/bench/ (it pins its own Django), loaded with a topic of the same size as ours, its first
and last page timed in-process like ours (Django's test Client, debug off, SQLite).

    .venv/bin/python bench/peer_forum.py --setup     # once: venv, django-spirit, a Spirit project
    var/bench/spirit-venv/bin/python bench/peer_forum.py --posts 1000 --runs 50 --warmup 5

The second form prints one JSON object: {"page 1": {...}, "last page": {...}}, each with
median_ms, p95_ms and queries; bench/run.py calls it when the environment exists."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / "var" / "bench" / "spirit-venv"
SITE = ROOT / "var" / "bench" / "spirit-site"
PROJECT = SITE / "peer"
SPIRIT = "django-spirit==0.14.3"


def setup() -> None:
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", SPIRIT], check=True)
    if not PROJECT.exists():
        SITE.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PATH": f"{VENV / 'bin'}:{os.environ['PATH']}"}
        subprocess.run([str(VENV / "bin" / "spirit"), "startproject", "peer"], cwd=SITE, env=env, check=True)


def timed(client, url: str, runs: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once() -> float:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    for _ in range(warmup):
        once()
    timings = [once() for _ in range(runs)]
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    p95 = statistics.quantiles(timings, n=20, method="inclusive")[18] if runs > 1 else timings[0]
    return {"median_ms": round(statistics.median(timings), 2), "p95_ms": round(p95, 2), "queries": len(captured)}


def measure(posts: int, runs: int, warmup: int) -> dict:
    sys.path.insert(0, str(PROJECT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "peer.settings.dev"
    database = ROOT / "var" / "bench" / "spirit.sqlite3"
    database.unlink(missing_ok=True)
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False
    settings.DATABASES["default"]["NAME"] = str(database)
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from spirit.category.models import Category
    from spirit.comment.models import Comment
    from spirit.topic.models import Topic
    from spirit.user.models import UserProfile  # noqa: F401  (profiles are created on first save)

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    setup_test_environment()
    from django.contrib.auth import get_user_model

    users = [get_user_model().objects.create_user(f"peer{n}", f"peer{n}@example.com", "x") for n in range(20)]
    category = Category.objects.create(title="Benchmarks", slug="benchmarks")
    now = timezone.now()
    topic = Topic.objects.create(
        user=users[0],
        category=category,
        title="A long topic",
        slug="a-long-topic",
        comment_count=posts,
        last_active=now,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                user=users[n % len(users)],
                topic=topic,
                comment="Check the MTU on the tunnel interface first.",
                comment_html="<p>Check the MTU on the tunnel interface first.</p>",
                date=now,
            )
            for n in range(posts)
        ],
        batch_size=500,
    )
    from djconfig import config

    client = Client()
    url = topic.get_absolute_url()
    client.get(url)  # loads Spirit's site configuration (djconfig), where comments per page live
    last = (posts + config.comments_per_page - 1) // config.comments_per_page
    return {
        "page 1": timed(client, url, runs, warmup),
        "last page": timed(client, f"{url}?page={last}", runs, warmup),
        "spirit": SPIRIT,
        "comments": posts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    print(json.dumps(measure(args.posts, args.runs, args.warmup)))


if __name__ == "__main__":
    main()
