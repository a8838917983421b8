import json

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from wagtail.models import Page

from certifications.models import (
    AttemptQuestion,
    Certificate,
    CertificationPage,
    ExamAttempt,
    OrganisationDeliveryRight,
    Question,
)
from certifications.rights.services import rights_recheck_all
from community.dataset import FLAGSHIP_TEAM
from community.models import Membership, PartnerOrganisation, Product, User, Vendor
from courses.models import CoursePage, LessonPage
from forums.dataset import FLAGSHIP_POSTS
from forums.models import Category, Post, Topic
from partners.models import Engagement, Offer

pytestmark = pytest.mark.django_db


def test_small_scale_keeps_the_proportions_and_the_measured_fixtures(dataset):
    assert Vendor.objects.count() == 3
    assert Product.objects.count() == 3
    assert PartnerOrganisation.objects.count() == 2
    assert CoursePage.objects.count() == 3
    assert LessonPage.objects.count() == 30
    assert all(course.get_children().count() == 10 for course in CoursePage.objects.all())
    assert CertificationPage.objects.count() == 3
    assert Question.objects.count() == 3 * 400
    assert ExamAttempt.objects.count() == 150
    assert Category.objects.count() == 2
    assert Topic.objects.count() == 40
    # The pages measured whatever the scale: a 500-engineer company and a 1,000-post topic.
    biggest = PartnerOrganisation.objects.annotate(
        n=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("-n")[0]
    assert biggest.n == FLAGSHIP_TEAM
    assert Topic.objects.order_by("-last_number")[0].posts.count() == FLAGSHIP_POSTS
    assert Post.objects.count() == max(400, FLAGSHIP_POSTS + 39)


def test_generated_rows_are_consistent_with_what_the_site_expects(dataset, client):
    # Every organisation has exactly one current admin, and nobody is in two places at once.
    admins = (
        Membership.objects.filter(role="admin", left_at__isnull=True).values("organisation").annotate(n=Count("pk"))
    )
    assert sorted(a["n"] for a in admins) == [1, 1]
    assert (
        Membership.objects.filter(left_at__isnull=True).count()
        == User.objects.filter(email__endswith="@dataset.example").count()
    )
    # The page tree is valid for treebeard: every course and lesson is live and found by its URL.
    assert Page.find_problems() == ([], [], [], [], [])
    course = CoursePage.objects.live().first()
    assert client.get(course.url).status_code == 200
    lesson = course.get_children().live().specific().first()
    assert isinstance(lesson, LessonPage)
    assert lesson.url_path == f"{course.url_path}{lesson.slug}/"
    # Topic counters match the posts written; attempts carry their frozen questions.
    topic = Topic.objects.order_by("?").first()
    assert topic.last_number == topic.posts.count() == topic.reply_count + 1
    attempt = ExamAttempt.objects.filter(status="graded").first()
    assert AttemptQuestion.objects.filter(attempt=attempt).count() in (60, 100)
    # Certificates only of passed attempts, verifiable, and the rights agree with them exactly.
    assert Certificate.objects.exists()
    assert not Certificate.objects.exclude(attempt__passed=True).exists()
    certificate = Certificate.objects.filter(status="valid").first()
    assert client.get(f"/verify/{certificate.serial}/").status_code == 200
    assert certificate.products.exists()
    assert OrganisationDeliveryRight.objects.exists()
    assert rights_recheck_all().drifted == 0
    # Requests were offered only to partners holding the right, in the customer's region.
    offer = Offer.objects.select_related("request").first()
    if offer is not None:
        product = offer.request.products.get()
        assert offer.organisation.region == offer.request.region
        assert (
            OrganisationDeliveryRight.objects.holding()
            .filter(organisation=offer.organisation, product=product)
            .exists()
        )
        assert not Engagement.objects.exclude(request__offers__state="accepted").exists()


def test_refuses_a_database_that_already_has_a_dataset(dataset):
    with pytest.raises(CommandError, match="already holds a generated dataset"):
        call_command("generate_dataset", scale=dataset)


def test_bench_runner_writes_every_figure_with_machine_info(dataset, tmp_path, monkeypatch):
    from bench import run

    # The peer forum lives in its own virtual environment under var/; without it, it is listed as missing.
    monkeypatch.setattr(run, "PEER_PYTHON", tmp_path / "no-spirit-venv" / "python")

    output = tmp_path / "latest.json"
    args = run.parse_args(["--runs", "2", "--warmup", "1", "--pdf-runs", "1", "--output", str(output)])
    args.scale = dataset
    args.import_rows = 30
    run.collect(args)

    report = json.loads(output.read_text())
    assert report["scale"] == dataset
    assert {"cpu", "cores", "memory", "python", "database"} <= report["machine"].keys()
    figures = {figure["name"]: figure for figure in report["figures"]}
    expected = {
        "plain Wagtail page (reference)",
        "home",
        "catalogue",
        "course",
        "lesson (enrolled learner)",
        "certification",
        "verification page",
        "certificate API",
        "directory filtered by product and region",
        "delivery rights on a past day (API, product and region)",
        "exam attempt page",
        "forum index",
        "topic, page 1",
        "topic, last page",
        "import 10,000 legacy certificates",
        "topic, page 1, signed-in member",
        "partner admin team view",
        "partner admin team view, largest company",
        "vendor dashboard",
        "directory sorted by trust",
        "partner page with its trust profile",
        "vendor's request list",
        "vendor exam results (admin)",
        "grading a 100-question attempt",
        "issuing a certificate end to end",
        "recomputing rights for a 500-engineer company",
        "nightly rights re-check, every organisation",
        "daily expiry sweep",
        "routing a customer request",
        "daily tier sweep, every organisation",
        "computing every organisation's tier from scratch",
        "certificates CSV export (streamed)",
        "certificate PDF, latin name",
        "certificate PDF, chinese name",
        "bare WeasyPrint, latin name (reference)",
        "bare WeasyPrint, chinese name (reference)",
    }
    assert set(figures) == expected
    for figure in figures.values():
        assert {"median_ms", "p95_ms", "queries", "runs"} <= figure.keys()
        assert figure["median_ms"] > 0
    # Pages compare with the plain Wagtail page, PDFs with bare WeasyPrint, each with a ratio.
    assert figures["topic, last page"]["reference"] == "plain Wagtail page (reference)"
    assert figures["certificate PDF, chinese name"]["reference"] == "bare WeasyPrint, chinese name (reference)"
    assert all("ratio" in f for f in figures.values() if f["kind"] == "page")
    assert figures["home"]["target"] and isinstance(figures["home"]["pass"], bool)
    assert "1000-post topic" in figures["topic, page 1"]["note"]
    assert "500 current members" in figures["partner admin team view"]["note"]
    assert "the vendor with the most certificates" in figures["vendor dashboard"]["note"]
    assert figures["grading a 100-question attempt"]["note"].startswith("100 questions")
    assert figures["certificates CSV export (streamed)"]["first_row_median_ms"] > 0
    assert {m["name"] for m in report["missing"]} >= {"peer forum (django-spirit) topic page"}


def test_load_traffic_opens_only_topics_its_simulated_users_may_read(dataset, client):
    from bench import load

    # A partners-only category: its topics are a 404 for visitors, so none may be in their mix.
    hidden = Category.objects.order_by("pk").first()
    hidden.visibility = Category.Visibility.PARTNERS
    hidden.save(update_fields=["visibility"])

    mix = load.fixtures()

    assert mix["public_topic_ids"] and mix["member_topic_ids"]
    assert not Topic.objects.filter(pk__in=mix["public_topic_ids"], category=hidden).exists()
    assert Topic.objects.filter(pk__in=mix["member_topic_ids"], category=hidden).exists()
    for topic_id in mix["public_topic_ids"]:
        assert client.get(f"/forums/t/{topic_id}/").status_code == 200
    client.cookies["sessionid"] = mix["members"][0]["session"]
    for topic_id in mix["member_topic_ids"]:
        assert client.get(f"/forums/t/{topic_id}/").status_code == 200


def test_our_pages_and_the_peers_are_timed_in_turns():
    from bench.run import interleaved

    calls = []

    def sampler(name):
        def sample(runs):
            calls.append((name, runs))
            return [1.0] * runs

        return sample

    samples = interleaved({"ours": sampler("ours"), "peer": sampler("peer")}, runs=12, rounds=5)

    assert {name: len(timings) for name, timings in samples.items()} == {"ours": 12, "peer": 12}
    # A slow spell of the host falls on both sides, not on whichever was being timed then.
    assert [name for name, _runs in calls] == ["ours", "peer"] * 5
    assert [runs for name, runs in calls if name == "ours"] == [3, 3, 2, 2, 2]
