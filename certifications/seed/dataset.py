"""Certifications' part of the benchmark dataset: certification pages under the academies, one
400-question pool and one exam each, and candidates' attempts with their frozen questions.
Sizes at scale 1: 30 certifications, 12,000 questions, 150,000 attempts. The first exam draws
100 questions (the grading benchmark uses it), the others 60.
Every third certification is valid for 12 months, so some certificates have expired by now.
Certificates, rules and rights follow in `certifications.seed.dataset_certificates`."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from certifications.models import (
    AttemptQuestion,
    CertificationPage,
    Exam,
    ExamAttempt,
    ExamSection,
    Option,
    Question,
    QuestionKind,
    QuestionPool,
)
from certifications.seed import dataset_certificates
from community.dataset import bulk, child_pages_bulk_create, insert_rows, scaled
from community.models import Product, User, Vendor
from courses.models import AcademyPage

POOL_SIZE = 400
SECTIONS = ["Design", "Deployment", "Operations", "Troubleshooting"]


def _question(pool: QuestionPool, n: int, rng: random.Random) -> tuple[Question, list[Option]]:
    kind = rng.choices([QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE], [7, 2, 1])[0]
    question = Question(
        pool=pool,
        kind=kind,
        scoring="partial" if kind == QuestionKind.MULTIPLE and rng.random() < 0.5 else "all_or_nothing",
        text=f"Question {n + 1}: which setting keeps the {rng.choice(SECTIONS).lower()} step safe?",
        explanation="Because the generated answer says so.",
        section_tag=SECTIONS[n % len(SECTIONS)].lower(),
    )
    if kind == QuestionKind.TRUE_FALSE:
        answer = rng.random() < 0.5
        options = [Option(text="True", is_correct=answer), Option(text="False", is_correct=not answer)]
    else:
        correct = set(rng.sample(range(4), 2 if kind == QuestionKind.MULTIPLE else 1))
        options = [Option(text=f"Option {chr(65 + i)}", is_correct=i in correct) for i in range(4)]
    for order, option in enumerate(options):
        option.sort_order = order
    return question, options


COPY_FIELDS = [
    "attempt",
    "position",
    "question",
    "section_index",
    "section_title",
    "section_weight",
    "kind",
    "scoring",
    "text",
    "explanation",
    "options",
    "translations",
    "selected",
    "flagged",
    "answered_at",
    "points",
]


def _copies(attempt: ExamAttempt, questions: list[tuple[Question, list[dict]]], count: int, rng, graded: bool):
    """The attempt's frozen questions as value tuples in COPY_FIELDS order, three in four right."""
    per_section = count // len(SECTIONS)
    answered_at = attempt.started_at + timedelta(minutes=1)
    rows = []
    for position, (question, shown) in enumerate(rng.sample(questions, count)):
        correct = [i for i, o in enumerate(shown) if o["correct"]]
        selected = correct if rng.random() < 0.75 else [rng.randrange(len(shown))]
        section = min(position // per_section, len(SECTIONS) - 1)
        points = (1.0 if selected == correct else 0.0) if graded else None
        rows.append(
            (
                attempt.pk,
                position + 1,
                question.pk,
                section,
                SECTIONS[section],
                1,
                question.kind,
                question.scoring,
                question.text,
                question.explanation,
                shown,
                {},  # the generated banks carry no translations
                selected,
                False,
                answered_at,
                points,
            )
        )
    return rows


def generate(*, scale: float, rng: random.Random, stdout) -> dict:
    now = timezone.now()
    vendors = list(Vendor.objects.order_by("pk"))
    academies = {a.vendor_id: a for a in AcademyPage.objects.all()}
    products: dict[int, list[int]] = {}
    for product_id, vendor_id in Product.objects.values_list("pk", "vendor_id"):
        products.setdefault(vendor_id, []).append(product_id)
    count = scaled(30, scale, minimum=len(vendors))
    by_vendor: dict[int, list[CertificationPage]] = {}
    for i in range(count):
        vendor = vendors[i % len(vendors)]
        by_vendor.setdefault(vendor.pk, []).append(
            CertificationPage(
                title=f"{vendor.name} Certified Engineer {i + 1}",
                slug=f"certification-{i + 1}",
                vendor=vendor,
                summary="A generated certification for benchmarks.",
                syllabus="<p>Design, deployment, operations and troubleshooting.</p>",
                validity_months=12 if i % 3 == 2 else 24,
            )
        )
    certifications = []
    for vendor_id, pages in by_vendor.items():
        certifications += child_pages_bulk_create(parent=academies[vendor_id], pages=pages)
    through = CertificationPage.products.through
    bulk(
        through,
        [through(certificationpage_id=c.pk, product_id=p) for c in certifications for p in products[c.vendor_id][:2]],
    )

    pools = bulk(QuestionPool, [QuestionPool(vendor_id=c.vendor_id, name=f"{c.title} pool") for c in certifications])
    banks: dict[int, list[tuple[Question, list[Option]]]] = {}
    for pool in pools:
        banks[pool.pk] = [_question(pool, n, rng) for n in range(POOL_SIZE)]
    bulk(Question, [q for bank in banks.values() for q, _options in bank])
    options = []
    for bank in banks.values():
        for question, question_options in bank:
            for option in question_options:
                option.question = question
                options.append(option)
    bulk(Option, options)

    exams = bulk(
        Exam,
        [Exam(certification=c, time_limit_minutes=90, attempts_allowed=3, cooldown_hours=24) for c in certifications],
    )
    sizes = {exam.pk: (100 if n == 0 else 60) for n, exam in enumerate(exams)}
    bulk(
        ExamSection,
        [
            ExamSection(exam=exam, title=title, pool=pool, question_count=sizes[exam.pk] // len(SECTIONS), sort_order=i)
            for exam, pool in zip(exams, pools, strict=True)
            for i, title in enumerate(SECTIONS)
        ],
    )

    user_ids = list(User.objects.filter(email__endswith="@dataset.example").values_list("pk", flat=True))
    attempts, in_progress = [], set()
    for _ in range(scaled(150_000, scale)):
        exam, user_id = rng.choice(exams), rng.choice(user_ids)
        started = now - timedelta(days=rng.randint(1, 700), minutes=rng.randint(0, 1440))
        live = rng.random() < 0.02 and (exam.pk, user_id) not in in_progress
        if live:
            in_progress.add((exam.pk, user_id))
            started = now - timedelta(minutes=rng.randint(1, 30))
            attempts.append(
                ExamAttempt(
                    exam=exam,
                    user_id=user_id,
                    started_at=started,
                    deadline_at=started + timedelta(minutes=90),
                    pass_mark_percent=70,
                )
            )
            continue
        score = Decimal(rng.randint(35, 100))
        attempts.append(
            ExamAttempt(
                exam=exam,
                user_id=user_id,
                status=ExamAttempt.Status.GRADED,
                started_at=started,
                deadline_at=started + timedelta(minutes=90),
                submitted_at=started + timedelta(minutes=rng.randint(20, 89)),
                pass_mark_percent=70,
                score_percent=score,
                passed=score >= 70,
                section_scores=[{"title": t, "weight": 1, "percent": float(score)} for t in SECTIONS],
            )
        )
    bulk(ExamAttempt, attempts)
    pool_of = {exam.pk: pool.pk for exam, pool in zip(exams, pools, strict=True)}
    shown = {
        pool_id: [(q, [{"text": o.text, "correct": o.is_correct} for o in options]) for q, options in bank]
        for pool_id, bank in banks.items()
    }
    copies = 0
    for chunk_start in range(0, len(attempts), 200):
        rows = []
        for attempt in attempts[chunk_start : chunk_start + 200]:
            bank = shown[pool_of[attempt.exam_id]]
            rows += _copies(attempt, bank, sizes[attempt.exam_id], rng, attempt.status == ExamAttempt.Status.GRADED)
        insert_rows(AttemptQuestion, COPY_FIELDS, rows)
        copies += len(rows)
    issued = dataset_certificates.generate(scale=scale, rng=rng)
    return {
        "counts": {
            "certifications": len(certifications),
            "questions": len(certifications) * POOL_SIZE,
            "options": len(options),
            "exam attempts": len(attempts),
            "attempt questions": copies,
            **issued["counts"],
        },
        "notes": issued["notes"],
    }
