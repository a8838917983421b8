"""The rendered posts of a topic page as signed-out visitors see it, cached.

Most topic views are signed-out reads, and all signed-out visitors see the same posts; rendering
twenty of them with their authors' trust marks (organisation, certification badges, staff and
moderator marks) is most of the page's cost. A fragment's key holds everything it shows:

- a digest of the page's posts as just read (text, edits, score, moderation state, authors'
  names) and of the accepted answer, so a forum change makes a new key without any bookkeeping;
- the people token, replaced whenever a trust mark can change (a certificate issued, expired,
  renewed or revoked; someone joining or leaving a company, or a company renamed; group or
  permission changes), which orphans every fragment made before;
- the language, the time zone and today's date (a certificate stops counting at its expiry
  date even before the daily sweep marks it).

A lost or evicted token only means a miss, never a stale page."""

import hashlib

from django.core.cache import cache
from django.utils import timezone, translation

from community import generations
from forums.models import Post, Topic

PEOPLE_TOKEN_KEY = "forums:post-stream:people"
FRAGMENT_SECONDS = 60 * 60


def people_changed(**kwargs) -> None:
    """Forget every cached post stream: an author's trust marks may have changed. Connected to
    the signals of whatever can change them (forums.apps)."""
    generations.renew(PEOPLE_TOKEN_KEY)


def _post_facts(post: Post) -> tuple:
    author = post.author
    return (
        post.pk,
        post.number,
        post.html,
        post.created_at,
        post.edited_at,
        post.score,
        post.is_approved,
        post.is_hidden,
        post.is_deleted,
        author.pk,
        author.full_name,
        author.is_superuser,
    )


def fragment_key(*, topic: Topic, posts: list[Post], accepted: Post | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    facts = [_post_facts(post) for post in posts] + [_post_facts(accepted) if accepted else None]
    digest.update(repr((topic.pk, topic.accepted_post_id, facts)).encode())
    context = (
        translation.get_language(),
        timezone.get_current_timezone_name(),
        timezone.now().date().isoformat(),
        generations.current(PEOPLE_TOKEN_KEY),
    )
    digest.update(repr(context).encode())
    return f"forums:post-stream:{digest.hexdigest()}"


def get(key: str) -> str | None:
    return cache.get(key)


def store(key: str, html: str) -> None:
    cache.set(key, html, FRAGMENT_SECONDS)
