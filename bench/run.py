"""`make bench`: server-side timings of the key pages and jobs on a generated dataset, next to
reference points measured in the same run, written to bench/results/latest.json.

    .venv/bin/python bench/run.py [--scale 0.01] [--runs 50] [--warmup 5] [--seed 1] [--output PATH]

Database: DATABASE_URL when set (PostgreSQL; it must be a database of its own, empty, or holding
a dataset generated earlier, which is reused with --reuse), else a fresh SQLite file
var/bench/bench.sqlite3. The run migrates, generates the dataset at --scale (BENCH_SCALE; 0.01 by
default so it runs anywhere; the targets are for PostgreSQL at scale 1), then times each
page in-process with Django's test Client (server time: middleware, views, templates and SQL, no
network) and each job by calling its service. Per figure: median and p95 wall-clock milliseconds
over --runs timed calls after --warmup untimed ones, and the SQL queries of one more call.

References: a plain Wagtail page (a bare `wagtailcore.Page` with Wagtail's one-line template,
served through the same middleware: the floor for any page of ours) and bare WeasyPrint on the
same certificate HTML (the floor for the PDF); and, when its environment is set up
(`bench/peer_forum.py --setup`), django-spirit's topic page for a topic of the same size
(the peer for our topic page). Figures that cannot be taken yet are listed as
missing with the reason, so the table shows what is still to be measured."""

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE_PATH = ROOT / "var" / "bench" / "bench.sqlite3"
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "latest.json"
RUN_ID = int(time.time())

# The targets (medians, server time, PostgreSQL at scale 1).
PUBLIC_PAGE_MS, PUBLIC_PAGE_QUERIES = 25, 12
PDF_TARGETS_MS = {"latin": 100, "chinese": 400}
GRADING_MS = 50
MARKETPLACE_MS = 25
TIERS_MS = 2000

MISSING = [
    ("verification page", "the dataset has no certificates"),
]
PEER_PYTHON = ROOT / "var" / "bench" / "spirit-venv" / "bin" / "python"
PEER_MISSING = (
    "peer forum (django-spirit) topic page",
    "not set up: run `.venv/bin/python bench/peer_forum.py --setup`",
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", "0.01")))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "50")))
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=20, help="timed renders per PDF figure (each takes ~0.1-0.5 s)")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows of the legacy certificate import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="keep a dataset already in the database")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return parser.parse_args(argv)


def setup_django(*, fresh_sqlite: bool) -> None:
    """Point Django at the benchmark database (before setup), with debug off as in production."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.dev")
    os.environ["DEBUG"] = "false"
    # Every measured request comes from this one process: the per-address look-up limit of the
    # verification pages would turn the runs into 429s.
    os.environ["VERIFY_RATE_LIMIT"] = "0"
    if not os.environ.get("DATABASE_URL"):
        SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
        if fresh_sqlite:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    import django

    django.setup()


def percentile_95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def summary(timings: list[float]) -> dict:
    return {"median_ms": round(statistics.median(timings), 2), "p95_ms": round(percentile_95(timings), 2)}


def elapsed_ms(call, *args) -> float:
    start = time.perf_counter()
    call(*args)
    return (time.perf_counter() - start) * 1000


def queries_of(call, *args) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call(*args)
    return len(captured)


def timed(call, *, runs: int, warmup: int, prepare=None) -> dict:
    """Median and p95 (ms) of `call()` over `runs` calls after `warmup`; `prepare()` runs untimed
    before each call and its result is passed in. Queries are counted on one further call."""

    def once():
        return elapsed_ms(call, prepare()) if prepare else elapsed_ms(call)

    for _ in range(warmup):
        once()
    timings = [once() for _ in range(runs)]
    queries = queries_of(call, prepare()) if prepare else queries_of(call)
    return {**summary(timings), "queries": queries, "runs": runs}


def interleaved(samplers: dict, *, runs: int, rounds: int = 5) -> dict:
    """`runs` timings from each of `samplers` (name: a function of n returning n timings), taken
    in `rounds` turns, one sampler after the other: a slow spell of a shared host then falls on
    every sampler alike instead of deciding a ratio between two of them."""
    samples = {name: [] for name in samplers}
    for turn in range(rounds):
        n = runs // rounds + (1 if turn < runs % rounds else 0)
        for name, sample in samplers.items():
            samples[name] += sample(n)
    return samples


def settled_url(client, url: str) -> str:
    """Where `client` is finally answered for `url`: a signed-in person who reads another language
    than English is sent once to the page under that language's prefix, and the bench times the
    page, not the redirect."""
    response = client.get(url, follow=True)
    return response.redirect_chain[-1][0] if response.redirect_chain else url


def page_caller(client, url: str):
    def call():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return call


def dataset_targets() -> dict:
    """The objects the figures are measured on, found in the generated dataset."""
    from django.db.models import Count
    from django.utils import timezone

    from certifications.models import (
        Certificate,
        CertificationPage,
        DeliveryRightEvent,
        Exam,
        OrganisationDeliveryRight,
    )
    from community.models import PartnerOrganisation, User, Vendor
    from community.models.organisations import membership_current_q
    from courses.models import CoursePage, Enrolment
    from forums.dataset import FLAGSHIP_POSTS
    from forums.models import Topic

    course = CoursePage.objects.live().order_by("pk").first()
    enrolment = Enrolment.objects.filter(course=course).select_related("user").order_by("pk").first()
    with_members = PartnerOrganisation.objects.annotate(
        n=Count("memberships", filter=membership_current_q("memberships__"))
    )
    # The dataset's flagship company (community.dataset.FLAGSHIP_TEAM engineers), and the largest.
    organisation = with_members.order_by("pk").first()
    largest = with_members.order_by("-n", "pk").first()
    # The admin pages are measured for the vendor with the most to show.
    vendor = Vendor.objects.annotate(n=Count("certificates")).order_by("-n", "pk").first()
    # The directory filtered as a customer would: the product most partners may deliver, in the
    # region where most of them are.
    popular = (
        OrganisationDeliveryRight.objects.holding()
        .values("product__slug", "organisation__region")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    from partners.models import CustomerRequest, Offer

    busiest = Offer.objects.values("organisation__slug").annotate(n=Count("pk")).order_by("-n").first()
    # A day the rights' audit trail covers (the dataset computes every right on the day it is made).
    last_event = DeliveryRightEvent.objects.order_by("-at").values_list("at", flat=True).first()
    most_asked = CustomerRequest.objects.values("vendor__slug").annotate(n=Count("pk")).order_by("-n").first()
    return {
        "busiest_partner": busiest and busiest["organisation__slug"],
        "requests_manager": most_asked
        and User.objects.filter(email=f"programme@{most_asked['vendor__slug']}.example").first(),
        "course": course,
        "lesson": course.get_children().live().first(),
        "learner": enrolment.user,
        "certification": CertificationPage.objects.live().order_by("pk").first(),
        "certificate": Certificate.objects.order_by("pk").first(),
        "grading_exam": Exam.objects.order_by("pk").first(),
        # The dataset's flagship topic (at scale 1 a few random topics grow longer still).
        "topic": Topic.objects.filter(last_number=FLAGSHIP_POSTS).order_by("pk").first(),
        "organisation": organisation,
        "largest_organisation": largest,
        "programme_manager": User.objects.get(email=f"programme@{vendor.slug}.example"),
        "programme_vendor": vendor,
        "directory_query": popular and f"product={popular['product__slug']}&region={popular['organisation__region']}",
        "as_of": last_event and timezone.localdate(last_event),
    }


def bench_user(n: int):
    from community.models import User

    # New people on each run: with --reuse, last run's candidates already hold the certificate.
    user, _created = User.objects.get_or_create(
        email=f"bench{n}-{RUN_ID}@bench.example", defaults={"full_name": "Bench"}
    )
    return user


def reference_page():
    """A bare Wagtail page under the home page (created once)."""
    from wagtail.models import Page

    from community.models import HomePage

    existing = Page.objects.filter(slug="bench-reference-page").first()
    if existing is not None:
        return existing
    home = HomePage.objects.first()
    page = home.add_child(instance=Page(title="Reference page", slug="bench-reference-page"))
    page.save_revision().publish()
    return page


class PeerForum:
    """django-spirit serving a topic in its own process (bench/peer_forum.py), asked for timings."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.info = self._read()

    def _read(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the peer forum stopped (run bench/peer_forum.py by hand to see why)")
        return json.loads(line)

    def _ask(self, command: dict):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self._read()

    def timings(self, page: str, runs: int) -> list[float]:
        return self._ask({"time": page, "runs": runs})

    def queries(self, page: str) -> int:
        return self._ask({"queries": page})


@contextmanager
def peer_forum(*, posts: int, warmup: int):
    """The peer forum loaded with a topic of `posts` posts, or None when its environment is not set up."""
    if not PEER_PYTHON.exists():
        yield None
        return
    command = [str(PEER_PYTHON), str(ROOT / "bench" / "peer_forum.py"), "--posts", str(posts)]
    process = subprocess.Popen(
        [*command, "--warmup", str(warmup)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        yield PeerForum(process)
    finally:
        process.stdin.close()
        process.wait(timeout=60)


def measure_topic_pages(args, client, urls: dict[str, str], *, posts: int) -> tuple[dict, list[dict]]:
    """Our topic pages (`urls`: "page 1" and "last page") and, when it is set up, django-spirit's
    for a topic of as many posts, timed in turns (`interleaved`): the peer runs in a process of
    its own, and whichever side a busy spell of the host fell on would otherwise set the ratio."""
    calls = {page: page_caller(client, url) for page, url in urls.items()}
    for call in calls.values():
        for _ in range(args.warmup):
            call()
    samplers = {("ours", page): _sampler(call) for page, call in calls.items()}
    with peer_forum(posts=posts, warmup=args.warmup) as peer:
        if peer is not None:
            samplers |= {("peer", page): partial(peer.timings, page) for page in urls}
        samples = interleaved(samplers, runs=args.runs)
        peers = [] if peer is None else [_peer_row(args, peer, page, samples["peer", page]) for page in urls]
    ours = {
        page: {**summary(samples["ours", page]), "queries": queries_of(call), "runs": args.runs}
        for page, call in calls.items()
    }
    return ours, peers


def _peer_row(args, peer: PeerForum, page: str, timings: list[float]) -> dict:
    return {
        "name": f"peer forum (django-spirit), topic {page} (reference)",
        "kind": "reference",
        **summary(timings),
        "queries": peer.queries(page),
        "runs": args.runs,
        "note": f"{peer.info['spirit']} on SQLite, {peer.info['comments']}-comment topic, timed in turns with ours",
    }


def _sampler(call):
    return lambda runs: [elapsed_ms(call) for _ in range(runs)]


def measure_pages(args, targets: dict) -> list[dict]:
    from django.test import Client

    from certifications.exams import services as exam_services
    from community.models import Membership

    rows = []
    reference = reference_page()
    anonymous = Client()
    floor = timed(page_caller(anonymous, reference.url), runs=args.runs, warmup=args.warmup)
    rows.append({"name": "plain Wagtail page (reference)", "kind": "reference", **floor})

    def page(name: str, url: str, client, *, public: bool, note: str = "", result: dict | None = None):
        if result is None:
            url = settled_url(client, url)
        result = result or timed(page_caller(client, url), runs=args.runs, warmup=args.warmup)
        row = {"name": name, "kind": "page", "url": url, **result, "reference": rows[0]["name"]}
        row["ratio"] = round(result["median_ms"] / floor["median_ms"], 1)
        if public:
            row["target"] = f"< {PUBLIC_PAGE_MS} ms, < {PUBLIC_PAGE_QUERIES} queries"
            row["pass"] = result["median_ms"] < PUBLIC_PAGE_MS and result["queries"] < PUBLIC_PAGE_QUERIES
        if note:
            row["note"] = note
        rows.append(row)

    page("home", "/", anonymous, public=True)
    page("catalogue", "/courses/", anonymous, public=True)
    page("course", targets["course"].url, anonymous, public=True)
    learner = Client()
    learner.force_login(targets["learner"])
    page("lesson (enrolled learner)", targets["lesson"].url, learner, public=False)
    page("certification", targets["certification"].url, anonymous, public=True)
    if targets["certificate"] is not None:
        serial = targets["certificate"].serial
        page("verification page", f"/verify/{serial}/", anonymous, public=True)
        page("certificate API", f"/api/v1/certificates/{serial}", anonymous, public=True)
    if targets["directory_query"]:
        page(
            "directory filtered by product and region",
            f"/partners/?{targets['directory_query']}",
            anonymous,
            public=True,
        )
    if targets["directory_query"] and targets["as_of"]:
        page(
            "delivery rights on a past day (API, product and region)",
            f"/api/v1/delivery-rights?as_of={targets['as_of'].isoformat()}&{targets['directory_query']}",
            anonymous,
            public=True,
            note="the directory's market, answered from the rights' audit events",
        )
    candidate = Client()
    user = bench_user(0)
    candidate.force_login(user)
    attempt = exam_services.attempt_start(exam=targets["grading_exam"], user=user)
    page(
        "exam attempt page",
        f"/certifications/attempts/{attempt.public_id}/?q=50",
        candidate,
        public=False,
        note=f"{attempt.questions.count()}-question attempt",
    )
    page("forum index", "/forums/", anonymous, public=True)
    topic = targets["topic"]
    topic_urls = {"page 1": f"/forums/t/{topic.pk}/", "last page": f"/forums/t/{topic.pk}/?page={topic.page_count}"}
    ours, peers = measure_topic_pages(args, anonymous, topic_urls, posts=topic.last_number)
    for key, url in topic_urls.items():
        page(f"topic, {key}", url, anonymous, public=True, note=f"{topic.last_number}-post topic", result=ours[key])
    for peer, row in zip(peers, rows[-2:], strict=False):
        # The target: at most half the peer forum's time for the same topic.
        row["reference"], row["ratio"] = peer["name"], round(row["median_ms"] / peer["median_ms"], 2)
        row["target"] += ", <= 0.5x peer"
        row["pass"] = row["pass"] and row["ratio"] <= 0.5
    rows += peers
    # Signed-out readers get the posts from the cache; a member's page is rendered for them alone.
    page(
        "topic, page 1, signed-in member",
        f"/forums/t/{topic.pk}/",
        learner,
        public=False,
        note=f"{topic.last_number}-post topic, rendered per member",
    )
    for name, organisation in [
        ("partner admin team view", targets["organisation"]),
        ("partner admin team view, largest company", targets["largest_organisation"]),
    ]:
        admin = Client()
        admin.force_login(Membership.objects.current().get(organisation=organisation, role="admin").user)
        url = f"/organisation/{organisation.slug}/members/"
        page(name, url, admin, public=False, note=f"{organisation.n:,} current members, 50 a page")
    manager = Client()
    manager.force_login(targets["programme_manager"])
    vendor = targets["programme_vendor"]
    note = f"programme manager of {vendor.name}, the vendor with the most certificates ({vendor.n:,})"
    page("vendor dashboard", "/admin/programme/", manager, public=False, note=note)
    page("directory sorted by trust", "/partners/?sort=trust", anonymous, public=True, note="12 a page, with profiles")
    if targets["busiest_partner"]:
        page(
            "partner page with its trust profile",
            f"/partners/{targets['busiest_partner']}/",
            anonymous,
            public=True,
            note="the partner with the most offers",
        )
    if targets["requests_manager"]:
        requests_manager = Client()
        requests_manager.force_login(targets["requests_manager"])
        page(
            "vendor's request list",
            "/partners/vendor/",
            requests_manager,
            public=False,
            note="programme manager of the vendor with the most requests, 25 a page",
        )
        # A staff page: its target is the time alone (its query count is held constant by
        # tests/partners/test_vendor_view.py, not capped like a public page's).
        rows[-1]["target"] = f"< {MARKETPLACE_MS} ms"
        rows[-1]["pass"] = rows[-1]["median_ms"] < MARKETPLACE_MS
    page("vendor exam results (admin)", "/admin/exams/", manager, public=False, note=note)
    return rows


def measure_grading(args, targets: dict) -> dict:
    """Grading through `attempt_submit` on fresh attempts of the dataset's 100-question exam, each
    answered (three in four right) before the timer starts."""
    import random

    from certifications.exams import services as exam_services
    from certifications.models import AttemptQuestion

    rng = random.Random(args.seed)
    exam = targets["grading_exam"]
    counter = iter(range(1, 10_000))

    def prepare():
        attempt = exam_services.attempt_start(exam=exam, user=bench_user(next(counter)))
        questions = list(attempt.questions.all())
        for question in questions:
            correct = [i for i, o in enumerate(question.options) if o["correct"]]
            question.selected = correct if rng.random() < 0.75 else [0]
        AttemptQuestion.objects.bulk_update(questions, ["selected"])
        return attempt

    # A passing submit also issues the certificate; its PDF is a Celery task, which a broker would
    # merely queue, so it is left out here (the end-to-end issuing figure includes it).
    with _pdf_task_queued_not_run():
        result = timed(
            lambda attempt: exam_services.attempt_submit(attempt=attempt), runs=args.runs, warmup=2, prepare=prepare
        )
    return {
        "name": "grading a 100-question attempt",
        "kind": "job",
        **result,
        "note": f"{exam.question_count} questions in {exam.sections.count()} sections; a pass issues the certificate",
        "target": f"< {GRADING_MS} ms",
        "pass": result["median_ms"] < GRADING_MS,
    }


@contextmanager
def _pdf_task_queued_not_run():
    """Without a broker the PDF task would run inside the measured call; with one it is only sent."""
    from certifications.certificates import issuing

    original = issuing._pdf_generate_queue
    issuing._pdf_generate_queue = lambda *, certificate_id: None
    try:
        yield
    finally:
        issuing._pdf_generate_queue = original


def measure_issue(args, targets: dict) -> dict:
    """`certificate_issue` for a fresh passed attempt, then the PDF task's work (render with the
    vendor's template, store the file and its hash): a certificate end to end, minus the e-mail."""
    from datetime import timedelta

    from django.utils import timezone

    from certifications.certificates.issuing import certificate_issue, certificate_pdf_render_and_store
    from certifications.models import ExamAttempt

    exam = targets["grading_exam"]
    counter = iter(range(20_000, 30_000))

    def prepare():
        now = timezone.now()
        return ExamAttempt.objects.create(
            exam=exam,
            user=bench_user(next(counter)),
            started_at=now - timedelta(minutes=30),
            deadline_at=now + timedelta(minutes=30),
            submitted_at=now,
            pass_mark_percent=exam.pass_mark_percent,
            score_percent=100,
            passed=True,
            status=ExamAttempt.Status.GRADED,
        )

    def issue(attempt):
        certificate = certificate_issue(attempt=attempt)
        certificate_pdf_render_and_store(certificate_id=certificate.pk)

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with _pdf_task_queued_not_run():
        result = timed(issue, runs=args.pdf_runs, warmup=min(2, args.warmup), prepare=prepare)
    return {
        "name": "issuing a certificate end to end",
        "kind": "job",
        **result,
        "note": "issue (serial, frozen facts, events) + PDF render and store, Latin name",
    }


def measure_pdf(args) -> list[dict]:
    """Certificate PDFs as `bench/pdf_render.py` renders them, next to bare WeasyPrint."""
    from weasyprint import HTML

    from bench.pdf_render import CASES, bare_html
    from certifications.certificates.pdf import certificate_pdf_render

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    runs = args.pdf_runs
    rows = []
    for name, content in CASES.items():
        html = bare_html(content)
        warmup = min(2, args.warmup)
        floor = timed(lambda h=html: HTML(string=h).write_pdf(), runs=runs, warmup=warmup)
        ours = timed(lambda c=content: certificate_pdf_render(certificate=c), runs=runs, warmup=warmup)
        reference = f"bare WeasyPrint, {name} name (reference)"
        rows.append({"name": reference, "kind": "reference", **floor})
        rows.append(
            {
                "name": f"certificate PDF, {name} name",
                "kind": "job",
                **ours,
                "reference": reference,
                "ratio": round(ours["median_ms"] / floor["median_ms"], 1),
                "target": f"< {PDF_TARGETS_MS[name]} ms",
                "pass": ours["median_ms"] < PDF_TARGETS_MS[name],
            }
        )
    return rows


def machine_info() -> dict:
    from django.db import connection

    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if "model name" in line
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    memory = ""
    if Path("/proc/meminfo").exists():
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "platform": platform.platform(),
    }


def print_table(report: dict) -> None:
    info = report["machine"]
    print(
        f"\nPartner Academy benchmarks: scale {report['scale']:g}, {info['database']}, {info['cpu']} "
        f"({info['cores']} cores), load {info['load_average_at_start']}"
    )
    width = max(len(row["name"]) for row in report["figures"] + report["missing"]) + 2
    print(f"{'figure':<{width}}{'median ms':>10}{'p95 ms':>9}{'queries':>8}{'reference ms':>13}{'ratio':>7}  target")
    medians = {row["name"]: row["median_ms"] for row in report["figures"]}
    for row in report["figures"]:
        reference = medians.get(row.get("reference", ""), "")
        verdict = ""
        if "target" in row:
            verdict = f"{row['target']}: {'pass' if row['pass'] else 'MISS'}"
        ratio = f"{row['ratio']}x" if "ratio" in row else ""
        print(
            f"{row['name']:<{width}}{row['median_ms']:>10}{row['p95_ms']:>9}{row['queries']:>8}"
            f"{reference!s:>13}{ratio:>7}  {verdict}"
        )
    for row in report["missing"]:
        print(f"{row['name']:<{width}}{'missing':>10}  {row['reason']}")


def measure_rights(args, targets: dict) -> list[dict]:
    """Recomputing the delivery rights of the biggest company, and the nightly re-check of every
    organisation's rights."""
    from certifications.models import DeliveryRightEvent
    from certifications.rights.services import rights_recheck_all, rights_recompute_organisation

    organisation_id = targets["organisation"].pk
    recompute = timed(
        lambda: rights_recompute_organisation(organisation_id=organisation_id, cause=DeliveryRightEvent.Cause.RECHECK),
        runs=args.runs,
        warmup=args.warmup,
    )
    recheck = timed(rights_recheck_all, runs=max(5, args.runs // 10), warmup=1)
    return [
        {
            "name": "recomputing rights for a 500-engineer company",
            "kind": "job",
            **recompute,
            "note": f"{targets['organisation'].n:,} current members",
        },
        {"name": "nightly rights re-check, every organisation", "kind": "job", **recheck},
    ]


def measure_routing(args) -> dict:
    """Routing a newly confirmed request in the market (product and region) with the most
    partners holding the right: the candidates' facts, the pure order, the offers and their
    events. Each run routes a fresh request."""
    from django.db import transaction
    from django.db.models import Count

    from certifications.models import OrganisationDeliveryRight
    from partners.models import CustomerRequest
    from partners.requests import request_route

    market = (
        OrganisationDeliveryRight.objects.holding()
        .values("product_id", "product__vendor_id", "organisation__region")
        .annotate(n=Count("pk"))
        .order_by("-n", "product_id")
        .first()
    )
    counter = iter(range(1, 100_000))

    def prepare():
        n = next(counter)
        request = CustomerRequest.objects.create(
            vendor_id=market["product__vendor_id"],
            region=market["organisation__region"],
            company=f"Bench customer {n}",
            company_size="50-249",
            contact_name="Bench",
            email=f"bench{n}-{RUN_ID}@routing.example",
            need="Bench.",
            state=CustomerRequest.State.ROUTING,
        )
        request.products.set([market["product_id"]])
        return request

    def route(request):
        with transaction.atomic():
            request_route(request=request)

    result = timed(route, runs=args.runs, warmup=2, prepare=prepare)
    return {
        "name": "routing a customer request",
        "kind": "job",
        **result,
        "note": f"{market['n']} partners hold the right in the region; offers made to 3",
        "target": f"< {MARKETPLACE_MS} ms",
        "pass": result["median_ms"] < MARKETPLACE_MS,
    }


def measure_expiry_sweep(args) -> dict:
    """The daily expiry sweep on a day when a typical day's share of the valid certificates (one
    in 365) reaches its expiry date, including the rights recomputations it triggers (run in
    process here, as there is no broker)."""
    from django.utils import timezone

    from certifications.certificates.lifecycle import certificates_expire
    from certifications.models import Certificate

    today = timezone.localdate()
    due = max(1, Certificate.objects.filter(status="valid").count() // 365)

    def prepare():
        ids = list(
            Certificate.objects.filter(status="valid", issued_on__lt=today)
            .order_by("?")
            .values_list("pk", flat=True)[:due]
        )
        Certificate.objects.filter(pk__in=ids).update(expires_on=today)

    result = timed(
        lambda _prepared: certificates_expire(today=today), runs=max(5, args.runs // 10), warmup=1, prepare=prepare
    )
    return {
        "name": "daily expiry sweep",
        "kind": "job",
        **result,
        "note": f"{due} certificates due out of {Certificate.objects.count()}; rights recomputed for their holders",
    }


def measure_legacy_import(args, targets: dict) -> dict:
    """The real run of a legacy certificate import (`certificate_import_run`, the Celery task's
    work) for a CSV generated on the fly: one row in ten links an account of the dataset (whose
    organisations then have their rights recomputed once), the others create accounts. The PDFs
    are deferred to the PDF task queue and not rendered here; the dry run is timed apart."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.utils import timezone

    from certifications.certificates import tasks
    from certifications.certificates.legacy_import import (
        certificate_import_check,
        certificate_import_run,
        certificate_import_start,
    )
    from community.models import User

    rows, run_id = args.import_rows, f"{time.time_ns():x}"
    certification = targets["certification"]
    members = list(
        User.objects.filter(email__endswith="@dataset.example").values_list("email", flat=True)[: rows // 10]
    )
    today = timezone.localdate()
    lines = ["email,name,certification,issued_on,expires_on,legacy_id"]
    for n in range(rows):
        email = members[n // 10] if n % 10 == 0 and n // 10 < len(members) else f"legacy-{run_id}-{n}@import.example"
        issued = today.replace(year=today.year - 1 - n % 3)
        lines.append(
            f"{email},Legacy Holder {n},{certification.slug},{issued.isoformat()},"
            f"{issued.replace(year=issued.year + 3).isoformat()},{run_id}-{n}"
        )
    upload = SimpleUploadedFile("legacy.csv", ("\n".join(lines) + "\n").encode())
    started = time.perf_counter()
    checked = certificate_import_check(vendor=certification.vendor, upload=upload, invite_new=False, uploaded_by=None)
    dry_run_ms = (time.perf_counter() - started) * 1000
    assert checked.error_count == 0, checked.errors[:5]
    original_delay = tasks.certificate_pdf_generate.delay
    tasks.certificate_pdf_generate.delay = lambda *args, **kwargs: None
    queries = 0

    def count(execute, *args):
        nonlocal queries
        queries += 1
        return execute(*args)

    try:
        started = time.perf_counter()
        with connection.execute_wrapper(count):
            # Without a broker the task runs inside the start; with one, the run is called here.
            certificate_import_start(certificate_import=checked)
            finished = certificate_import_run(import_id=checked.pk)
        run_ms = (time.perf_counter() - started) * 1000
    finally:
        tasks.certificate_pdf_generate.delay = original_delay
    assert finished.created == rows, (finished.created, finished.errors[:5])
    return {
        "name": "import 10,000 legacy certificates",
        "kind": "job",
        **summary([run_ms]),
        "queries": queries,
        "runs": 1,
        "note": f"{rows} rows, task time; dry run {dry_run_ms / 1000:.1f} s; PDFs deferred, not included",
        "target": "< 60000 ms",
        "pass": run_ms < 60_000,
    }


def measure_tiers(args) -> list[dict]:
    """Recomputing every organisation's partner tiers with every vendor: the daily sweep on a day
    when nothing moved (reads and comparison only), and a first computation that writes every
    organisation's tier and its event (the stored tiers deleted before each run)."""
    from partners import tiers
    from partners.models import OrganisationTier

    def sweep(_prepared=None):
        return tiers.tiers_recompute_all(cause=tiers.Cause.SWEEP)

    rows = OrganisationTier.objects.count()
    steady = timed(sweep, runs=max(5, args.runs // 10), warmup=1)
    first = timed(
        sweep, runs=max(5, args.runs // 10), warmup=1, prepare=lambda: OrganisationTier.objects.all().delete()
    )
    target = f"< {TIERS_MS} ms"
    return [
        {
            "name": "daily tier sweep, every organisation",
            "kind": "job",
            **steady,
            "note": f"{rows:,} organisations' tiers, nothing to change",
            "target": target,
            "pass": steady["median_ms"] < TIERS_MS,
        },
        {
            "name": "computing every organisation's tier from scratch",
            "kind": "job",
            **first,
            "note": f"{rows:,} organisations' tiers and their events written",
            "target": target,
            "pass": first["median_ms"] < TIERS_MS,
        },
    ]


def measure_certificates_export(args, targets: dict) -> dict:
    """The programme manager's certificates CSV for the vendor with the most certificates,
    streamed: the time to the first certificate's row (the header goes out before any query) and
    to the last."""
    from django.test import Client

    from certifications.models import Certificate

    vendor = targets["programme_vendor"]
    client = Client()
    client.force_login(targets["programme_manager"])
    url = f"/admin/programme/export/certificates.csv?vendor={vendor.slug}"
    first_rows, totals = [], []

    def once():
        start = time.perf_counter()
        chunks = iter(client.get(url).streaming_content)
        next(chunks), next(chunks)
        first_rows.append((time.perf_counter() - start) * 1000)
        for _ in chunks:
            pass
        totals.append((time.perf_counter() - start) * 1000)

    runs = max(3, args.runs // 10)
    for _ in range(1 + runs):
        once()
    del first_rows[0], totals[0]
    queries = queries_of(lambda: b"".join(client.get(url).streaming_content))
    return {
        "name": "certificates CSV export (streamed)",
        "kind": "job",
        **summary(totals),
        "first_row_median_ms": round(statistics.median(first_rows), 2),
        "first_row_p95_ms": round(percentile_95(first_rows), 2),
        "queries": queries,
        "runs": runs,
        "note": f"{Certificate.objects.filter(vendor=vendor).count():,} certificates; median and p95: the whole file",
    }


def collect(args) -> dict:
    """Measure every figure on the dataset in the current database and write the report."""
    targets = dataset_targets()
    started = time.perf_counter()
    report = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "scale": args.scale,
        "seed": args.seed,
        "dataset_reused": args.reuse,
        "runs_per_figure": args.runs,
        "pdf_runs_per_figure": args.pdf_runs,
        "warmup": args.warmup,
        "figures": [],
    }
    report["figures"] += measure_pages(args, targets)
    report["figures"].append(measure_grading(args, targets))
    report["figures"].append(measure_issue(args, targets))
    report["figures"] += measure_rights(args, targets)
    report["figures"].append(measure_expiry_sweep(args))
    report["figures"].append(measure_legacy_import(args, targets))
    report["figures"].append(measure_routing(args))
    report["figures"] += measure_tiers(args)
    report["figures"].append(measure_certificates_export(args, targets))
    report["figures"] += measure_pdf(args)
    measured = {figure["name"] for figure in report["figures"]}
    missing = [entry for entry in MISSING if entry[0] not in measured]
    missing += [] if PEER_PYTHON.exists() else [PEER_MISSING]
    report["missing"] = [{"name": name, "reason": reason} for name, reason in missing]
    report["duration_s"] = round(time.perf_counter() - started, 1)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return report


def run(args) -> dict:
    setup_django(fresh_sqlite=not args.reuse)
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from community.models import User

    call_command("migrate", verbosity=0, interactive=False)
    if User.objects.filter(email__endswith="@dataset.example").exists():
        if not args.reuse:
            raise SystemExit("This database already holds a dataset: use an empty database, or --reuse.")
        print("Reusing the dataset already in the database.")
    else:
        call_command("generate_dataset", scale=args.scale, seed=args.seed)
    # The test Client's host ('testserver') and the in-memory e-mail outbox, as in tests.
    setup_test_environment()
    return collect(args)


def main(argv=None) -> None:
    args = parse_args(argv)
    report = run(args)
    print_table(report)
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
