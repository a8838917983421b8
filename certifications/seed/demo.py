"""Demo certifications with exams and question pools, and attempts in every state (in progress,
passed, failed, submitted at the deadline). Everything goes through the same services candidates
and authors use, with the clock set back for older attempts. Idempotent."""

import random
from datetime import timedelta

from django.utils import timezone

from certifications.exams import services
from certifications.models import (
    AttemptQuestion,
    CertificationPage,
    CertificationRequiredCourse,
    DeliveryRightCredential,
    Exam,
    ExamSection,
    QuestionPool,
)
from certifications.seed import demo_certificates
from certifications.seed.demo_questions import BANKS
from community.models import Product, User, Vendor
from courses.models import LearningPathPage
from courses.selectors import academy_for_vendor, courses_live

# (e-mail, certification slug, [(days ago, share of correct answers, how it ends)])
ATTEMPTS = [
    ("jonas.weber@northwind.example", "nimbus-certified-database-engineer", [(20, 0.4, "submit"), (5, 0.95, "submit")]),
    ("david.chen@summitcloud.example", "nimbus-certified-kubernetes-engineer", [(3, 0.5, "timeout"), (0, 0.6, "open")]),
    ("olga.ivanova@balticsystems.example", "arclight-certified-wireless-associate", [(8, 0.9, "submit")]),
]


def _certification(vendor: Vendor, spec: dict) -> CertificationPage | None:
    academy = academy_for_vendor(vendor=vendor)
    if academy is None:
        return None
    page = CertificationPage.objects.child_of(academy).filter(slug=spec["slug"]).first()
    if page is None:
        page = CertificationPage(
            vendor=vendor,
            title=spec["title"],
            slug=spec["slug"],
            summary=spec["summary"],
            description=spec["description"],
            syllabus=spec["syllabus"],
            validity_months=24,
            renewal_window_days=90,
        )
        if "supersedes" in spec:  # a new version, whose old one counts for `old_counts_days` more
            page.supersedes = CertificationPage.objects.get(slug=spec["supersedes"])
            page.supersedes_counts_until = timezone.localdate() + timedelta(days=spec["old_counts_days"])
        page.products = list(Product.objects.filter(slug__in=spec["products"]))
        page.required_courses = [
            CertificationRequiredCourse(course=course, sort_order=i)
            for i, course in enumerate(courses_live().filter(slug__in=spec["courses"]))
        ]
        academy.add_child(instance=page)
        page.save_revision().publish()
    return page


# A certification's new version for its product's new release: the old one counts 45 more days,
# so partners relying on it see the risk in their forecast and the new exam in their gap view.
NEW_VERSION = {
    "slug": "arclight-certified-wireless-associate-2027",
    "title": "Arclight Certified Wireless Associate (2027)",
    "summary": "The Wi-Fi 7 release of the wireless associate certification: MLO, 6 GHz and the new controller.",
    "products": ["arclight-campus-wifi"],
    "courses": ["campus-wifi-design-fundamentals"],
    "description": "<p>Replaces Arclight Certified Wireless Associate for the 2027 release of Arclight Campus "
    "Wi-Fi.</p>",
    "syllabus": "<ul><li>Multi-link operation</li><li>6 GHz planning</li><li>The 2027 controller</li></ul>",
    "supersedes": "arclight-certified-wireless-associate",
    "old_counts_days": 45,
}


def _new_version(exams: dict[str, Exam]) -> None:
    old = exams.get(NEW_VERSION["supersedes"])
    if old is None:
        return
    certification = _certification(old.certification.vendor, NEW_VERSION)
    if certification is not None:
        section = old.sections.select_related("pool").first()
        sections = [(s.title, s.section_tag, s.question_count, s.weight) for s in old.sections.order_by("sort_order")]
        exams[certification.slug] = _exam(certification, section.pool, sections)
        _link_learning_paths(certification)


def _link_learning_paths(certification: CertificationPage) -> None:
    """The academy's learning paths that lead to this certification link to its page."""
    paths = LearningPathPage.objects.child_of(certification.get_parent()).filter(goal_label=certification.title)
    for path in paths.exclude(goal_url=certification.url):
        path.goal_url = certification.url
        path.save_revision().publish()


def _exam(certification: CertificationPage, pool: QuestionPool, sections: list) -> Exam:
    exam, created = Exam.objects.get_or_create(
        certification=certification,
        defaults={"time_limit_minutes": 45, "pass_mark_percent": 70, "attempts_allowed": 3, "cooldown_hours": 24},
    )
    if created:
        for i, (title, tag, count, weight) in enumerate(sections):
            ExamSection.objects.create(
                exam=exam, title=title, pool=pool, section_tag=tag, question_count=count, weight=weight, sort_order=i
            )
    return exam


def _answer_all(attempt, share: float, rng: random.Random, at) -> None:
    for question in AttemptQuestion.objects.filter(attempt=attempt).order_by("position"):
        correct = [i for i, option in enumerate(question.options) if option["correct"]]
        wrong = [i for i, option in enumerate(question.options) if not option["correct"]]
        if rng.random() < share or not wrong:
            selected = correct if question.kind == "multiple" else correct[:1]
        else:
            selected = [rng.choice(wrong)]
        services.attempt_answer(attempt=attempt, position=question.position, selected=selected, now=at)
        at += timedelta(seconds=50)


def _attempts(exams: dict[str, Exam]) -> None:
    rng = random.Random(2026)
    now = timezone.now()
    for email, slug, plan in ATTEMPTS:
        user = User.objects.filter(email=email).first()
        exam = exams.get(slug)
        # Certificate holders also have older attempts (demo_certificates): look only at this plan's days.
        since = now - timedelta(days=max(days_ago for days_ago, _share, _ending in plan) + 1)
        if user is None or exam is None or exam.attempts.filter(user=user, started_at__gte=since).exists():
            continue
        for days_ago, share, ending in plan:
            started = now - timedelta(days=days_ago, minutes=12 if days_ago == 0 else 0)
            if ending == "open":
                # Extra time keeps the demo's attempt in progress for a few hours after seeding.
                services.accommodation_grant(
                    exam=exam,
                    user=user,
                    extra_minutes=180,
                    extra_attempts=0,
                    note="Extended time for assistive technology, as agreed with the partner.",
                    granted_by=User.objects.filter(is_superuser=True).first(),
                    now=started - timedelta(minutes=1),
                )
            attempt = services.attempt_start(exam=exam, user=user, now=started)
            if ending == "timeout":
                # Answers stop half-way; the attempt is found past its deadline and submitted.
                first_half = AttemptQuestion.objects.filter(attempt=attempt, position__lte=6)
                for question in first_half:
                    pick = [i for i, o in enumerate(question.options) if o["correct"]][:1]
                    services.attempt_answer(attempt=attempt, position=question.position, selected=pick, now=started)
                services.attempts_submit_overdue(now=attempt.deadline_at + timedelta(minutes=1))
            elif ending == "open":
                for question in AttemptQuestion.objects.filter(attempt=attempt, position__lte=4):
                    pick = [i for i, o in enumerate(question.options) if o["correct"]][:1]
                    services.attempt_answer(attempt=attempt, position=question.position, selected=pick, now=started)
            else:
                _answer_all(attempt, share, rng, started + timedelta(minutes=1))
                services.attempt_submit(attempt=attempt, now=started + timedelta(minutes=25))


def _right_credential_notes() -> list[str]:
    """Where to find one partner's right as a signed credential and as a live badge."""
    credential = DeliveryRightCredential.objects.current().order_by("organisation_name", "product_name").first()
    if credential is None:
        return []
    return [
        f"  {credential.organisation_name}'s right to deliver {credential.product_name} as a signed credential: "
        f"/api/v1/delivery-rights/credentials/{credential.public_id}; its live badge: "
        f"/partners/{credential.organisation_slug}/badges/{credential.product_slug}.svg (snippet for the "
        f"partner's admins at /partners/{credential.organisation_slug}/badges/)."
    ]


def seed(*, stdout) -> dict:
    exams: dict[str, Exam] = {}
    for vendor_slug, banks in BANKS.items():
        vendor = Vendor.objects.filter(slug=vendor_slug).first()
        if vendor is None:
            continue
        for bank in banks:
            pool, _created = QuestionPool.objects.get_or_create(
                vendor=vendor, name=bank["pool"], defaults={"description": f"{bank['pool']} question bank."}
            )
            if not pool.questions.exists():
                result = services.questions_import(pool=pool, text=bank["gift"], fmt="gift")
                if not result.ok:
                    raise ValueError(f"demo bank {bank['pool']}: {result.errors}")
            certification = _certification(vendor, bank["certification"])
            if certification is not None:
                exams[certification.slug] = _exam(certification, pool, bank["sections"])
                _link_learning_paths(certification)
    serials = demo_certificates.seed(exams=exams)
    _attempts(exams)
    _new_version(exams)
    return {
        "logins": [("candidate with an exam in progress", "david.chen@summitcloud.example")],
        "notes": [
            "  Certificates to verify at /verify/: "
            + ", ".join(
                f"{serials[status]} ({status})" for status in ("valid", "expired", "revoked") if status in serials
            ),
            "  Partners with delivery rights: /partners/; each partner admin sees the gap to each right at "
            "/organisation/<slug>/delivery-rights/.",
            *_right_credential_notes(),
            "  Certifications: /certifications/ lists them; under Exam results in the admin, vendor authors "
            "import and export question pools (CSV or GIFT) and programme managers read the results.",
        ],
    }
