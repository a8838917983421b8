"""The peer forum reference for the topic page: django-spirit, in a virtual environment of its own
under var/bench/ (it pins its own Django), loaded with a topic of the same size as ours, its first
and last page timed in-process like ours (Django's test Client, debug off, SQLite).

    .venv/bin/python bench/peer_forum.py --setup     # once: venv, django-spirit, a Spirit project
    var/bench/spirit-venv/bin/python bench/peer_forum.py --posts 1000 --warmup 5

The second form loads the topic, warms both pages up, prints one JSON line ({"spirit", "comments"})
and then answers JSON commands on stdin, one per line: {"time": page, "runs": n} with the
n timings in ms, {"queries": page} with the queries of one request. bench/run.py drives it, in
turns with our own pages, so that both sides are timed under the same conditions."""

import argparse
import json
import os
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


def elapsed_ms(client, url: str) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


def queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def serve(posts: int, warmup: int) -> None:
    """Load the topic, warm its pages up and answer timing commands until stdin closes."""
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
    pages = {"page 1": url, "last page": f"{url}?page={last}"}
    for page_url in pages.values():
        for _ in range(warmup):
            elapsed_ms(client, page_url)
    answer({"spirit": SPIRIT, "comments": posts})
    for line in sys.stdin:
        command = json.loads(line)
        if "time" in command:
            answer([elapsed_ms(client, pages[command["time"]]) for _ in range(command["runs"])])
        else:
            answer(queries(client, pages[command["queries"]]))


def answer(value) -> None:
    print(json.dumps(value), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true")
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    if args.setup:
        setup()
        return
    serve(args.posts, args.warmup)


if __name__ == "__main__":
    main()
