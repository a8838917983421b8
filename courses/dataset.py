"""Courses' part of the benchmark dataset: one academy per vendor, courses of ten lessons, and
learners' enrolments and lesson progress. Sizes at scale 1: 300 courses, 3,000 lessons, about
1.5 enrolments per engineer. Pages are inserted in bulk (see `child_pages_bulk_create`)."""

import random
from datetime import timedelta

from django.utils import timezone

from community.dataset import bulk, child_pages_bulk_create, scaled
from community.models import Product, User, Vendor
from courses import services
from courses.models import CourseLevel, CoursePage, Enrolment, LessonPage, LessonProgress

LESSONS_PER_COURSE = 10
TOPICS = ["routing", "firewall policy", "high availability", "backup", "observability", "identity", "automation"]


def _paragraph(rng: random.Random) -> dict:
    sentences = [
        f"This lesson walks through {rng.choice(TOPICS)} step by step, with a lab at the end.",
        f"Configure {rng.choice(TOPICS)} on a test tenant before touching production.",
        "Check each result against the expected output shown below.",
    ]
    return {"type": "paragraph", "value": "".join(f"<p>{s}</p>" for s in rng.sample(sentences, 3))}


def generate(*, scale: float, rng: random.Random, stdout) -> dict:
    now = timezone.now()
    vendors = list(Vendor.objects.order_by("pk"))
    academies = {vendor.pk: services.academy_create(vendor=vendor) for vendor in vendors}
    products = {}
    for product in Product.objects.order_by("pk"):
        products.setdefault(product.vendor_id, []).append(product)
    course_count = scaled(300, scale, minimum=len(vendors))
    courses_by_vendor: dict[int, list[CoursePage]] = {}
    for i in range(course_count):
        vendor = vendors[i % len(vendors)]
        courses_by_vendor.setdefault(vendor.pk, []).append(
            CoursePage(
                title=f"{vendor.name}: {rng.choice(TOPICS).title()} {i + 1}",
                slug=f"course-{i + 1}",
                summary="A generated course for benchmarks: lessons, labs and knowledge checks.",
                level=rng.choice(CourseLevel.values),
                language="zh-hans" if rng.random() < 0.15 else "en",
                duration_minutes=rng.choice([60, 90, 120, 240]),
                learning_outcomes="Plan a deployment\nOperate it\nTroubleshoot it",
                overview=[_paragraph(rng)],
            )
        )
    courses: list[CoursePage] = []
    for vendor_id, vendor_courses in courses_by_vendor.items():
        courses += child_pages_bulk_create(parent=academies[vendor_id], pages=vendor_courses)
    through = CoursePage.products.through
    bulk(
        through,
        [
            through(coursepage_id=course.pk, product_id=product.pk)
            for vendor_id, vendor_courses in courses_by_vendor.items()
            for course in vendor_courses
            for product in rng.sample(products[vendor_id], min(2, len(products[vendor_id])))
        ],
    )
    lessons: dict[int, list[LessonPage]] = {}
    for course in courses:
        lessons[course.pk] = child_pages_bulk_create(
            parent=course,
            pages=[
                LessonPage(
                    title=f"Lesson {n + 1}: {rng.choice(TOPICS)}",
                    slug=f"lesson-{n + 1}",
                    duration_minutes=rng.choice([10, 15, 20, 30]),
                    body=[_paragraph(rng), _paragraph(rng)],
                )
                for n in range(LESSONS_PER_COURSE)
            ],
        )

    user_ids = list(User.objects.filter(email__endswith="@dataset.example").values_list("pk", flat=True))
    enrolments, progress, taken = [], [], set()
    for _ in range(round(len(user_ids) * 1.5)):
        user_id, course = rng.choice(user_ids), rng.choice(courses)
        if (user_id, course.pk) in taken:
            continue
        taken.add((user_id, course.pk))
        done = rng.randint(0, LESSONS_PER_COURSE)
        started = now - timedelta(days=rng.randint(1, 700))
        course_lessons = lessons[course.pk]
        enrolments.append(
            Enrolment(
                user_id=user_id,
                course=course,
                enrolled_at=started,
                last_lesson=course_lessons[max(done - 1, 0)],
                last_activity_at=started + timedelta(days=done),
                completed_at=started + timedelta(days=done) if done == LESSONS_PER_COURSE else None,
            )
        )
        progress += [
            LessonProgress(user_id=user_id, lesson=lesson, course=course, completed_at=started + timedelta(days=n))
            for n, lesson in enumerate(course_lessons[:done])
        ]
    bulk(Enrolment, enrolments)
    bulk(LessonProgress, progress)
    return {
        "counts": {
            "courses": len(courses),
            "lessons": len(courses) * LESSONS_PER_COURSE,
            "enrolments": len(enrolments),
            "lesson progress": len(progress),
        },
        "notes": [],
    }
