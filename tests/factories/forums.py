import factory
from django.db.models import F
from django.utils import timezone

from forums.models import Category, Post, Topic
from forums.rendering import render_markdown
from tests.factories.community import UserFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    visibility = Category.Visibility.PUBLIC


class TopicFactory(factory.django.DjangoModelFactory):
    """A listed topic with its opening post (#1); counters as the services would leave them."""

    class Meta:
        model = Topic
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    kind = Topic.Kind.QUESTION
    title = factory.Sequence(lambda n: f"How do I configure feature {n}?")
    author = factory.SubFactory(UserFactory)
    last_number = 1

    @factory.post_generation
    def opening_post(obj, create, extracted, **kwargs):
        if create:
            body = extracted or "Opening question with enough detail."
            Post.objects.create(topic=obj, number=1, author=obj.author, body=body, html=render_markdown(body))
            Category.objects.filter(pk=obj.category_id).update(
                topic_count=F("topic_count") + 1, post_count=F("post_count") + 1
            )


def add_replies(topic: Topic, count: int, *, author=None) -> list[Post]:
    """`count` visible replies in one bulk insert (fast enough for thousands), counters updated."""
    author = author or UserFactory()
    topic.refresh_from_db()
    now = timezone.now()
    start = topic.last_number + 1
    body = "A reply with `code` and **bold**."
    posts = Post.objects.bulk_create(
        [
            Post(topic=topic, number=n, author=author, body=body, html=render_markdown(body), created_at=now)
            for n in range(start, start + count)
        ]
    )
    Topic.objects.filter(pk=topic.pk).update(
        last_number=start + count - 1, reply_count=topic.reply_count + count, last_activity_at=now, last_poster=author
    )
    Category.objects.filter(pk=topic.category_id).update(post_count=F("post_count") + count)
    topic.refresh_from_db()
    return posts
