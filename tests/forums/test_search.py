"""Forum and site search in Chinese and English, on whichever database the suite runs (SQLite by
default, PostgreSQL with DATABASE_URL): Chinese words found inside post bodies and lesson bodies,
English words found in their other forms, results ranked."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from wagtail.search.backends import get_search_backend

from forums import selectors, services
from forums.models import Topic
from forums.permissions import ForumPermissions
from tests.factories import courses as build
from tests.factories.forums import TopicFactory

pytestmark = pytest.mark.django_db


def _indexed(*topics: Topic) -> None:
    """Posts reach the index when their transaction commits; tests run inside one."""
    backend = get_search_backend()
    for topic in topics:
        backend.add(Topic.objects.get(pk=topic.pk))


def _found(query: str) -> list[str]:
    anonymous = ForumPermissions(AnonymousUser())
    return [topic.title for topic in selectors.search_topics(query=query, permissions=anonymous)]


@pytest.fixture
def chinese_topics(category, asker, answerer):
    backup = TopicFactory(
        category=category,
        author=asker,
        title="夜间任务失败",
        opening_post="我们的数据备份策略需要在每天晚上执行一次完整备份，并且保留三十天的历史记录。",
    )
    switch = TopicFactory(
        category=category,
        author=asker,
        title="配置问题",
        opening_post="网络交换机的配置出错以后，应该怎样恢复？",
    )
    services.post_create(author=answerer, topic=switch, body="先导出交换机配置，再重启设备。")
    _indexed(backup, switch)
    return backup, switch


def test_chinese_word_inside_a_post_body_is_found(chinese_topics):
    assert _found("备份") == ["夜间任务失败"]
    assert _found("交换机") == ["配置问题"]
    assert _found("历史记录") == ["夜间任务失败"]


def test_chinese_words_of_a_query_must_all_match(chinese_topics):
    assert _found("数据备份策略") == ["夜间任务失败"]
    assert _found("交换机 重启") == ["配置问题"]
    assert _found("交换机，重启。") == ["配置问题"]
    assert _found("，") == []
    assert _found("交换机备份") == []


def test_chinese_word_in_a_reply_is_found_where_the_segmenter_cuts_across_it(chinese_topics):
    # jieba reads 先导出 as 先导 (pioneer) + 出; the reply means 先 + 导出 (first export).
    assert _found("导出") == ["配置问题"]
    assert _found("重启设备") == ["配置问题"]


def test_english_words_are_found_in_their_other_forms(category, asker):
    topic = TopicFactory(
        category=category,
        author=asker,
        title="Nightly jobs",
        opening_post="Our backups failed twice; the replicas were configured wrongly.",
    )
    _indexed(topic)
    assert _found("backup") == ["Nightly jobs"]
    assert _found("configure replica") == ["Nightly jobs"]


def test_mixed_chinese_and_english_text_is_found_by_either_language(category, asker):
    topic = TopicFactory(
        category=category,
        author=asker,
        title="VPN 隧道断开",
        opening_post="升级 firmware 以后，IPsec隧道每隔十分钟断开一次，日志里有 rekey 失败的记录。",
    )
    _indexed(topic)
    assert _found("隧道") == ["VPN 隧道断开"]
    assert _found("IPsec") == ["VPN 隧道断开"]
    assert _found("rekey 日志") == ["VPN 隧道断开"]
    assert _found("vpn") == ["VPN 隧道断开"]


def test_the_better_chinese_match_comes_first(category, asker, answerer):
    passing = TopicFactory(
        category=category, author=asker, title="部署手册", opening_post="第三步提到一次证书，然后继续安装。"
    )
    central = TopicFactory(
        category=category,
        author=asker,
        title="证书续期失败",
        opening_post="证书过期以后，证书续期任务失败，新证书没有生成。",
    )
    _indexed(passing, central)
    assert _found("证书") == ["证书续期失败", "部署手册"]


def test_the_better_english_match_comes_first(category, asker):
    passing = TopicFactory(
        category=category, author=asker, title="Upgrade notes", opening_post="Step three mentions certificates once."
    )
    central = TopicFactory(
        category=category,
        author=asker,
        title="Certificate renewal fails",
        opening_post="The certificate expired and the renewed certificate was never issued.",
    )
    _indexed(passing, central)
    assert _found("certificate") == ["Certificate renewal fails", "Upgrade notes"]


def test_site_search_finds_chinese_in_lesson_bodies_and_forum_posts(chinese_topics):
    course = build.course(title="存储运维", summary="存储集群的日常运维。")
    build.lesson(
        course_page=course,
        title="第三课",
        body=[("paragraph", "<p>快照可以在几秒钟内回滚整个卷，适合升级之前使用。</p>")],
    )
    html = Client().get("/search/", {"q": "快照"}).content.decode()
    assert "第三课" in html and "存储运维" not in html
    html = Client().get("/search/", {"q": "备份"}).content.decode()
    assert "夜间任务失败" in html and "第三课" not in html


def test_catalogue_search_finds_chinese_in_a_course_summary(client):
    build.course(title="存储运维", summary="存储集群的日常运维和快照管理。")
    build.course(title="无线规划", summary="信道和功率。")
    content = client.get("/courses/", {"q": "快照"}).content.decode()
    assert "存储运维" in content and "无线规划" not in content
