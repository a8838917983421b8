"""A question answered and accepted, end to end in Chromium: the asker posts, another partner
answers, the asker accepts, and the answerer sees the notification."""

import pytest
from playwright.sync_api import Page, expect

from forums.models import Notification, Topic
from tests.e2e.signing_in import sign_in
from tests.factories.community import MembershipFactory
from tests.factories.forums import CategoryFactory, TopicFactory

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True)
def test_ask_answer_accept_and_see_notification(page: Page, browser, live_server, home_page, settings):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    settings.FORUMS_RATE_LIMIT_POSTS = 0
    category = CategoryFactory(name="Nimbus Kubernetes Engine", slug="nke")
    asker = MembershipFactory(user__full_name="Alice Asker").user
    answerer = MembershipFactory(user__full_name="Bob Answerer").user
    base = live_server.url

    sign_in(page, base, asker.email)
    page.goto(f"{base}/forums/c/{category.slug}/new/")
    page.get_by_label("Kind").select_option("collaboration")
    expect(page.get_by_label("What you are looking for")).to_be_visible()
    page.get_by_label("Kind").select_option("question")
    expect(page.get_by_label("What you are looking for")).to_be_hidden()
    page.get_by_label("Title").fill("How do I drain a node pool safely?")
    page.get_by_label("Your post").fill("Pods are evicted during scale-down. What should we configure?")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".preview")).to_contain_text("Pods are evicted")
    page.get_by_role("button", name="Publish topic").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How do I drain a node pool safely?")
    topic_url = page.url

    other = browser.new_context()
    answer_page = other.new_page()
    sign_in(answer_page, base, answerer.email)
    answer_page.goto(topic_url)
    answer_page.get_by_label("Your post").fill("Add a **PodDisruptionBudget** for each critical service.")
    answer_page.get_by_role("button", name="Post reply").click()
    expect(answer_page.locator(".post").nth(1)).to_contain_text("PodDisruptionBudget")

    page.goto(topic_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator(".accepted-answer")).to_contain_text("PodDisruptionBudget")
    assert Topic.objects.get().is_solved

    answer_page.goto(f"{base}/forums/notifications/")
    expect(answer_page.locator(".notification").first).to_contain_text("Alice Asker accepted your answer in")
    answer_page.get_by_role("link", name="How do I drain a node pool safely?").first.click()
    expect(answer_page.locator(".accepted-answer")).to_be_visible()
    other.close()


@pytest.mark.django_db(transaction=True)
def test_mention_picker_writes_the_chosen_persons_handle_and_notifies_only_them(
    page: Page, live_server, home_page, settings
):
    settings.FORUMS_HOLD_FIRST_POSTS = 0
    settings.FORUMS_RATE_LIMIT_POSTS = 0
    topic = TopicFactory(title="Which region for the pilot?")
    author = MembershipFactory(user__full_name="Alice Asker").user
    first = MembershipFactory(user__full_name="Wang Wei").user
    second = MembershipFactory(user__full_name="Wang Wei").user
    base = live_server.url

    sign_in(page, base, author.email)
    page.goto(f"{base}{topic.get_absolute_url()}")
    body = page.get_by_label("Your post")
    body.press_sequentially("Ask @wang")
    options = page.locator(".mention-picker").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.nth(1)).to_contain_text(f"@{second.handle}")
    body.press("ArrowDown")
    body.press("Enter")
    expect(body).to_have_value(f"Ask @{second.handle} ")
    body.press_sequentially("about it.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator(".post").nth(1).locator("a.mention")).to_have_text(f"@{second.handle}")
    assert list(Notification.objects.filter(kind="mention").values_list("user", flat=True)) == [second.pk]
    assert first.pk != second.pk
