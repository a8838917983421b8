"""Demo academies for the demo vendors: courses with real lesson content, learning paths, and
demo engineers at different points of their learning. Called by `seed_demo` after community's
seed; idempotent (existing pages are kept as they are)."""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from community import services as community_services
from community.models import Product, User, Vendor
from courses import selectors, services
from courses.demo_content import (
    ACADEMY_TRANSLATIONS,
    CATALOGUE_TRANSLATIONS,
    COURSES,
    DIAGRAMS,
    LAB_GUIDES,
    LEARNING_PATHS,
    PROGRESS,
)
from courses.models import AcademyPage, CoursePage, LearningPathCourse, LearningPathPage, LessonPage


def _hex_to_rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _cover(*, title: str, label: str, vendor: str, colour: str):
    """A generated cover: the vendor's colour fading to navy, a dot grid and the product name."""
    Image = get_image_model()
    existing = Image.objects.filter(title=title).first()
    if existing is not None:
        return existing
    width, height = 1280, 640
    start, end = _hex_to_rgb(colour), (15, 23, 42)
    canvas = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(canvas)
    for x in range(width):
        t = x / width
        draw.line(
            [(x, 0), (x, height)], fill=tuple(int(s + (e - s) * t * 0.85) for s, e in zip(start, end, strict=True))
        )
    for gx in range(width // 2, width, 48):
        for gy in range(40, height, 48):
            draw.ellipse([gx - 3, gy - 3, gx + 3, gy + 3], fill=(203, 213, 225))
    draw.text((70, 64), vendor.upper(), fill=(226, 232, 240), font=ImageFont.load_default(size=44))
    draw.line([(70, height - 170), (190, height - 170)], fill=(251, 191, 36), width=8)
    draw.text((70, height - 140), label, fill=(255, 255, 255), font=ImageFont.load_default(size=84))
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    slug = title.lower().replace(" ", "-").replace(":", "")[:60]
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=f"{slug}.png"))


def _diagrams() -> dict:
    """Simple left-to-right diagrams for lessons: boxes joined by a labelled arrow."""
    Image = get_image_model()
    images = {}
    for key, (title, boxes, arrow) in DIAGRAMS.items():
        image = Image.objects.filter(title=title).first()
        if image is None:
            canvas = PILImage.new("RGB", (1200, 420), (248, 250, 252))
            draw = ImageDraw.Draw(canvas)
            big, small = ImageFont.load_default(size=46), ImageFont.load_default(size=30)
            (left_label, left_note), (right_label, right_note) = boxes
            for x, label, note in ((80, left_label, left_note), (760, right_label, right_note)):
                draw.rounded_rectangle([x, 110, x + 360, 310], radius=24, fill=(30, 58, 138))
                draw.text((x + 36, 150), label, fill=(255, 255, 255), font=big)
                draw.text((x + 36, 225), note, fill=(191, 219, 254), font=small)
            draw.line([(450, 210), (740, 210)], fill=(180, 83, 9), width=8)
            draw.polygon([(750, 210), (720, 192), (720, 228)], fill=(180, 83, 9))
            draw.text((470, 150), arrow, fill=(51, 65, 85), font=small)
            buffer = io.BytesIO()
            canvas.save(buffer, format="PNG")
            image = Image.objects.create(title=title, file=ImageFile(buffer, name=f"{key}.png"))
        images[key] = image
    return images


def _lab_guides() -> dict:
    Document = get_document_model()
    documents = {}
    for key, (title, filename, text) in LAB_GUIDES.items():
        document = Document.objects.filter(title=title).first()
        if document is None:
            document = Document.objects.create(title=title, file=ContentFile(text.encode(), name=filename))
        documents[key] = document
    return documents


def _body(blocks: list, documents: dict, diagrams: dict) -> list:
    resolved = []
    for kind, value in blocks:
        if kind == "download":
            value = {**value, "document": documents[value["document"]]}
        elif kind == "figure":
            value = {**value, "image": {**value["image"], "image": diagrams[value["image"]["image"]]}}
        resolved.append((kind, value))
    return resolved


def _lessons(course: CoursePage, spec: dict, assets: tuple[dict, dict]) -> None:
    for lesson_spec in spec["lessons"]:
        lesson = course.add_child(
            instance=LessonPage(
                title=lesson_spec["title"],
                slug=lesson_spec["slug"],
                duration_minutes=lesson_spec["minutes"],
                body=_body(lesson_spec["body"], *assets),
            )
        )
        lesson.save_revision().publish()


def _translated_fields(spec: dict) -> dict:
    return {
        "title": spec["title"],
        "summary": spec["summary"],
        "level": spec["level"],
        "language": spec["language"],
        "duration_minutes": spec["duration_minutes"],
        "learning_outcomes": spec["outcomes"],
        "overview": spec["overview"],
    }


def _translation(academy: AcademyPage, spec: dict, assets: tuple[dict, dict], pages: dict) -> CoursePage:
    """The Chinese (or other) translation of a demo course, under the academy's translation. An
    older demo made it a separate course in the English academy: that page, with its learners'
    enrolments and progress, becomes the translation."""
    original, language = pages[spec["translation_of"]], spec["language"]
    existing = original.get_translations().filter(locale__language_code=language).specific().first()
    if existing is not None:
        return existing
    translated_academy = community_services.page_translation_ensure(
        page=academy, language=language, fields=ACADEMY_TRANSLATIONS[academy.vendor.slug][language]
    )
    legacy = CoursePage.objects.child_of(academy).filter(slug=spec["slug"]).first()
    if legacy is None:
        fields = _translated_fields(spec)
        course = community_services.page_translation_ensure(page=original, language=language, fields=fields)
        _lessons(course, spec, assets)
        return course
    return services.course_make_translation(course=legacy, original=original, parent=translated_academy)


def _course(academy: AcademyPage, spec: dict, assets: tuple[dict, dict], pages: dict) -> CoursePage:
    if spec.get("translation_of"):
        return _translation(academy, spec, assets, pages)
    course = CoursePage.objects.child_of(academy).filter(slug=spec["slug"]).first()
    if course is not None:
        return course
    products = list(Product.objects.filter(slug__in=spec["products"]))
    label = products[0].name.removeprefix(academy.vendor.name.split()[0]).strip() if products else spec["title"]
    course = CoursePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        level=spec["level"],
        language=spec["language"],
        duration_minutes=spec["duration_minutes"],
        learning_outcomes=spec["outcomes"],
        overview=spec["overview"],
        cover_image=_cover(
            title=f"Course cover: {spec['title']}",
            label=label,
            vendor=academy.vendor.name,
            colour=academy.vendor.brand_colour,
        ),
    )
    course.products = products
    course.prerequisites = [pages[slug] for slug in spec.get("prerequisites", [])]
    academy.add_child(instance=course)
    course.save_revision().publish()
    _lessons(course, spec, assets)
    return course


def _learning_path(academy: AcademyPage, spec: dict, pages: dict) -> LearningPathPage:
    path = LearningPathPage.objects.child_of(academy).filter(slug=spec["slug"]).first()
    if path is not None:
        # A demo loaded before the paths named the demo's own certifications is brought up to date.
        if (path.summary, path.goal_label) != (spec["summary"], spec["goal_label"]):
            path.summary, path.goal_label = spec["summary"], spec["goal_label"]
            path.save_revision().publish()
        return path
    path = LearningPathPage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        level=spec["level"],
        goal_label=spec["goal_label"],
    )
    path.path_courses = [LearningPathCourse(course=pages[slug], sort_order=i) for i, slug in enumerate(spec["courses"])]
    academy.add_child(instance=path)
    path.save_revision().publish()
    return path


def _progress(pages: dict) -> None:
    for email, slug, done in PROGRESS:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        course = pages[slug]
        services.course_enrol(user=user, course=course)
        lessons = list(selectors.lessons_live_of(course=course))
        for lesson in lessons if done == "all" else lessons[:done]:
            services.lesson_complete(user=user, lesson=lesson)


def seed(*, stdout) -> dict:
    catalogue = services.catalogue_ensure()
    for language, fields in CATALOGUE_TRANSLATIONS.items():
        community_services.page_translation_ensure(page=catalogue, language=language, fields=fields)
    assets = (_lab_guides(), _diagrams())
    pages: dict[str, CoursePage] = {}
    for vendor_slug, specs in COURSES.items():
        vendor = Vendor.objects.filter(slug=vendor_slug).first()
        if vendor is None:
            continue
        academy = services.academy_create(vendor=vendor)
        for spec in specs:
            pages[spec["slug"]] = _course(academy, spec, assets, pages)
        for spec in LEARNING_PATHS.get(vendor_slug, []):
            _learning_path(academy, spec, pages)
    _progress(pages)
    return {
        "logins": [("learner with progress (courses)", "jonas.weber@northwind.example")],
        "notes": [
            "  Courses: /courses/ (catalogue), /courses/my-learning/ (a learner's progress). Vendor authors "
            "submit courses for review; programme managers approve and publish.",
        ],
    }
