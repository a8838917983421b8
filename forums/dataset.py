"""Forums' part of the benchmark dataset: categories, topics and posts, counters filled in as the
services would leave them. Sizes at scale 1: 30 categories, 40,000 topics, 400,000 posts. Whatever
the scale, the first topic has FLAGSHIP_POSTS posts (its first and last pages are measured).
Generated topics are not added to the search index."""

import random
from datetime import timedelta
from html import escape

from django.utils import timezone

from community.dataset import bulk, scaled
from community.models import Product, User
from forums.models import Category, Post, Topic

FLAGSHIP_POSTS = 1000
PHRASES = [
    "Has anyone deployed this behind a load balancer?",
    "We hit the same issue after upgrading; the fix was to re-issue the certificate.",
    "Check the MTU on the tunnel interface first.",
    "有人在生产环境中遇到过这个问题吗？",
    "Thanks, that solved it for our customer.",
    "The lab guide covers this in lesson 4.",
]


def generate(*, scale: float, rng: random.Random, stdout) -> dict:
    now = timezone.now()
    product_ids = list(Product.objects.values_list("pk", flat=True))
    user_ids = list(User.objects.filter(email__endswith="@dataset.example").values_list("pk", flat=True))
    categories = bulk(
        Category,
        [
            Category(
                name=f"Category {i + 1}",
                slug=f"category-{i + 1}",
                description="Generated forum category.",
                product_id=product_ids[i % len(product_ids)] if i % 3 else None,
                position=i,
                visibility="partners" if i % 5 == 4 else "public",
            )
            for i in range(scaled(30, scale, minimum=2))
        ],
    )
    topic_count = scaled(40_000, scale, minimum=2)
    post_total = max(scaled(400_000, scale), FLAGSHIP_POSTS + topic_count - 1)
    # The flagship topic takes FLAGSHIP_POSTS; every other topic has one opening post and the
    # remaining replies are spread at random (most topics short, a few long).
    sizes = [FLAGSHIP_POSTS] + [1] * (topic_count - 1)
    for _ in range(post_total - sum(sizes)):
        sizes[1 + int((topic_count - 1) * rng.random() ** 3)] += 1
    public = [c for c in categories if c.visibility == "public"]
    topics = []
    for i, size in enumerate(sizes):
        created = now - timedelta(days=rng.randint(1, 900), minutes=rng.randint(0, 1440))
        topics.append(
            Topic(
                category=public[0] if i == 0 else rng.choice(categories),
                kind="question" if rng.random() < 0.4 else "discussion",
                title=f"{rng.choice(PHRASES)[:60]} ({i + 1})",
                author_id=rng.choice(user_ids),
                created_at=created,
                last_activity_at=created + timedelta(minutes=size * 7),
                last_poster_id=rng.choice(user_ids),
                last_number=size,
                reply_count=size - 1,
            )
        )
    bulk(Topic, topics)
    posts_written = 0
    pending: list[Post] = []
    for topic, size in zip(topics, sizes, strict=True):
        for number in range(1, size + 1):
            body = rng.choice(PHRASES)
            pending.append(
                Post(
                    topic=topic,
                    number=number,
                    author_id=topic.author_id if number == 1 else rng.choice(user_ids),
                    body=body,
                    html=f"<p>{escape(body)}</p>",
                    created_at=topic.created_at + timedelta(minutes=number * 7),
                    score=rng.choice([0, 0, 0, 1, 2]),
                )
            )
        if len(pending) >= 10_000:
            bulk(Post, pending)
            posts_written += len(pending)
            pending = []
    bulk(Post, pending)
    posts_written += len(pending)
    for category in categories:
        mine = [(t, s) for t, s in zip(topics, sizes, strict=True) if t.category_id == category.pk]
        category.topic_count = len(mine)
        category.post_count = sum(s for _t, s in mine)
        category.last_activity_at = max((t.last_activity_at for t, _s in mine), default=None)
    Category.objects.bulk_update(categories, ["topic_count", "post_count", "last_activity_at"])
    return {
        "counts": {"forum categories": len(categories), "topics": len(topics), "posts": posts_written},
        "notes": [f"Topic {topics[0].pk} has {FLAGSHIP_POSTS} posts."],
    }
