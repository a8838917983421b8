import pytest
from django.urls import reverse

from courses import selectors, services
from courses.models import Enrolment, LessonProgress
from tests.factories import courses as build
from tests.factories.community import ProductFactory, UserFactory, VendorFactory

KNOWLEDGE_CHECK = (
    "knowledge_check",
    {
        "question": "Which port does PostgreSQL listen on by default?",
        "options": [{"text": "3306", "correct": False}, {"text": "5432", "correct": True}],
        "explanation": "<p>PostgreSQL uses <code>5432</code> unless configured otherwise.</p>",
    },
)


@pytest.fixture
def course(db):
    return build.course(title="Managed PostgreSQL Essentials", lessons=2)


def lessons(course):
    return list(selectors.lessons_live_of(course=course))


# --- catalogue ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_is_public_and_lists_live_courses_only(client, course):
    build.course(academy_page=selectors.academy_of(page=course), title="Secret Draft Course", live=False)
    response = client.get("/courses/")
    assert response.status_code == 200
    assert b"Managed PostgreSQL Essentials" in response.content
    assert b"Secret Draft Course" not in response.content


@pytest.mark.django_db
def test_catalogue_filters_by_vendor_product_level_and_language(client):
    nimbus = build.academy(vendor=VendorFactory(name="Nimbus", slug="nimbus"))
    arclight = build.academy(vendor=VendorFactory(name="Arclight", slug="arclight"))
    product = ProductFactory(vendor=nimbus.vendor, slug="nimbus-pg")
    pg = build.course(academy_page=nimbus, title="Postgres Course", level="professional")
    pg.products.add(product)
    pg.save_revision().publish()
    build.course(academy_page=nimbus, title="Chinese Course", language="zh-hans")
    build.course(academy_page=arclight, title="Wi-Fi Course")

    def titles(**params):
        content = client.get("/courses/", params).content.decode()
        return {t for t in ("Postgres Course", "Chinese Course", "Wi-Fi Course") if t in content}

    assert titles(vendor="arclight") == {"Wi-Fi Course"}
    assert titles(product="nimbus-pg") == {"Postgres Course"}
    assert titles(level="professional") == {"Postgres Course"}
    assert titles(language="zh-hans") == {"Chinese Course"}
    assert titles() == {"Postgres Course", "Chinese Course", "Wi-Fi Course"}


@pytest.mark.django_db
def test_catalogue_unknown_filter_value_shows_an_error_not_a_traceback(client, course):
    response = client.get("/courses/", {"vendor": "<script>nope</script>"})
    assert response.status_code == 200
    assert b"Select a valid choice" in response.content
    assert b"<script>nope" not in response.content


@pytest.mark.django_db
def test_catalogue_full_text_search(client):
    academy = build.academy()
    build.course(academy_page=academy, title="Point-in-time recovery", summary="Restore a database to a second.")
    build.course(academy_page=academy, title="Campus radio planning", summary="Channels and power.")
    content = client.get("/courses/", {"q": "recovery"}).content.decode()
    assert "Point-in-time recovery" in content
    assert "Campus radio planning" not in content


@pytest.mark.django_db
def test_catalogue_paginates(client):
    academy = build.academy()
    for _i in range(14):
        build.course(academy_page=academy)
    first = client.get("/courses/")
    second = client.get("/courses/", {"page": 2})
    assert first.context["page_obj"].paginator.num_pages == 2
    assert len(first.context["cards"]) == 12
    assert len(second.context["cards"]) == 2


@pytest.mark.django_db
def test_catalogue_badges_show_the_learners_status(client, user, course):
    other = build.course(academy_page=selectors.academy_of(page=course), lessons=1)
    services.course_enrol(user=user, course=course)
    services.course_enrol(user=user, course=other)
    services.lesson_complete(user=user, lesson=lessons(other)[0])
    client.force_login(user)
    cards = {card["course"].pk: card["status"] for card in client.get("/courses/").context["cards"]}
    assert cards == {course.pk: "enrolled", other.pk: "completed"}
    services.lesson_complete(user=user, lesson=lessons(course)[0])
    cards = {card["course"].pk: card["status"] for card in client.get("/courses/").context["cards"]}
    assert cards[course.pk] == "in_progress"


# --- course page and enrolment ---------------------------------------------------------


@pytest.mark.django_db
def test_course_overview_is_public_but_lessons_are_not_linked(client, course):
    response = client.get(course.url)
    assert response.status_code == 200
    assert b"Enrol" in response.content
    assert lessons(course)[0].url.encode() not in response.content


@pytest.mark.django_db
def test_anonymous_enrol_goes_to_sign_in(client, course):
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_enrol_opens_the_first_lesson(client, user, course):
    client.force_login(user)
    response = client.post(reverse("courses:enrol", args=[course.pk]))
    assert response["Location"] == lessons(course)[0].url
    assert Enrolment.objects.filter(user=user, course=course).exists()


@pytest.mark.django_db
def test_enrol_with_missing_prerequisite_names_it(client, user):
    academy = build.academy()
    basics = build.course(academy_page=academy, title="Kubernetes Basics")
    advanced = build.course(academy_page=academy, title="Kubernetes Operations")
    advanced.prerequisites.add(basics)
    advanced.save_revision().publish()
    client.force_login(user)
    response = client.post(reverse("courses:enrol", args=[advanced.pk]), follow=True)
    assert "Complete these courses first: Kubernetes Basics." in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_course_page_shows_the_learners_progress_and_resume_link(client, user, course):
    first, second = lessons(course)
    services.course_enrol(user=user, course=course)
    services.lesson_complete(user=user, lesson=first)
    client.force_login(user)
    response = client.get(course.url)
    assert response.context["lessons_done"] == 1
    assert response.context["resume"].pk == second.pk
    assert b"1 of 2 lessons completed" in response.content


# --- lessons and access ----------------------------------------------------------------


@pytest.mark.django_db
def test_lesson_sends_anonymous_visitors_to_sign_in(client, course):
    response = client.get(lessons(course)[0].url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_lesson_sends_signed_in_non_learners_to_the_course(client, user, course):
    client.force_login(user)
    response = client.get(lessons(course)[0].url)
    assert response.status_code == 302
    assert response["Location"] == course.url


@pytest.mark.django_db
def test_enrolled_learner_reads_lesson_with_outline_and_navigation(client, user, course):
    first, second = lessons(course)
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    response = client.get(first.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert second.title in content and 'rel="next"' in content
    assert Enrolment.objects.get(user=user).last_lesson_id == first.pk


@pytest.mark.django_db
def test_drafts_are_never_served_to_learners_or_the_public(client, user, course):
    draft_course = build.course(academy_page=selectors.academy_of(page=course), live=False)
    draft_lesson = build.lesson(course_page=course, live=False)
    services.course_enrol(user=user, course=course)
    assert client.get(draft_course.url or "/courses/x/").status_code == 404
    client.force_login(user)
    for page in (draft_course, draft_lesson):
        path = page.get_url_parts()[2]
        assert client.get(path).status_code == 404


@pytest.mark.django_db
def test_vendor_author_can_read_lessons_without_enrolling(client):
    academy = build.academy()
    course = build.course(academy_page=academy, lessons=1)
    author = UserFactory(is_staff=True)
    author.groups.add(academy.vendor.staff_group)
    client.force_login(author)
    assert client.get(lessons(course)[0].url).status_code == 200


@pytest.mark.django_db
def test_knowledge_check_shows_explanation_after_answering_without_javascript(client, user):
    course = build.course()
    lesson = build.lesson(course_page=course, body=[KNOWLEDGE_CHECK])
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    block_id = lesson.body[0].id
    before = client.get(lesson.url).content.decode()
    assert "Which port" in before and "unless configured otherwise" not in before
    wrong = client.get(lesson.url, {"check": block_id, "answer": "0"}).content.decode()
    assert "Not quite." in wrong and "unless configured otherwise" in wrong
    right = client.get(lesson.url, {"check": block_id, "answer": "1"}).content.decode()
    assert "Correct." in right
    assert client.get(lesson.url, {"check": block_id, "answer": "99"}).status_code == 200


@pytest.mark.django_db
def test_code_block_is_highlighted_on_the_server(client, user):
    course = build.course()
    code = ("code", {"language": "sql", "filename": "q.sql", "code": "SELECT 1;"})
    lesson = build.lesson(course_page=course, body=[code])
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    content = client.get(lesson.url).content.decode()
    assert '<div class="highlight">' in content and '<span class="k">SELECT</span>' in content


@pytest.mark.django_db
def test_video_that_cannot_be_embedded_shows_a_plain_link(client, user):
    course = build.course()
    video = ("video", {"video": "https://videos.example/lab-walkthrough", "title": "Lab walkthrough"})
    lesson = build.lesson(course_page=course, body=[video])
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    content = client.get(lesson.url).content.decode()
    assert 'href="https://videos.example/lab-walkthrough"' in content


@pytest.mark.django_db
def test_completing_the_last_lesson_completes_the_course(client, user, course):
    first, second = lessons(course)
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("courses:lesson_complete", args=[first.pk]))
    assert response["Location"] == second.url
    response = client.post(reverse("courses:lesson_complete", args=[second.pk]), {"last": "1"}, follow=True)
    assert "Course completed" in response.content.decode()
    assert selectors.course_is_completed(user=user, course=course)


@pytest.mark.django_db
def test_completing_a_lesson_without_enrolment_is_refused_with_a_message(client, user, course):
    client.force_login(user)
    response = client.post(reverse("courses:lesson_complete", args=[lessons(course)[0].pk]), follow=True)
    assert "Enrol in the course" in response.content.decode()
    assert not LessonProgress.objects.exists()


# --- My learning ----------------------------------------------------------------------


@pytest.mark.django_db
def test_my_learning_needs_sign_in(client):
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_my_learning_groups_courses_and_paths(client, user):
    academy = build.academy()
    done = build.course(academy_page=academy, title="Done course", lessons=1)
    started = build.course(academy_page=academy, title="Started course", lessons=2)
    fresh = build.course(academy_page=academy, title="Fresh course", lessons=1)
    build.learning_path(academy_page=academy, courses=[done, started], title="Platform path")
    for course in (done, started, fresh):
        services.course_enrol(user=user, course=course)
    services.lesson_complete(user=user, lesson=lessons(done)[0])
    services.lesson_complete(user=user, lesson=lessons(started)[0])
    client.force_login(user)
    context = client.get(reverse("courses:my_learning")).context
    assert [e.course.title for e in context["completed"]] == ["Done course"]
    assert [e.course.title for e in context["in_progress"]] == ["Started course"]
    assert [e.course.title for e in context["enrolled"]] == ["Fresh course"]
    (path,) = context["paths"]
    assert (path.steps_done, path.steps_total) == (1, 2)


@pytest.mark.django_db
def test_learning_path_page_lists_its_courses_in_order(client):
    academy = build.academy()
    second = build.course(academy_page=academy, title="Second step")
    first = build.course(academy_page=academy, title="First step")
    path = build.learning_path(academy_page=academy, courses=[first, second])
    content = client.get(path.url).content.decode()
    assert content.index("First step") < content.index("Second step")


@pytest.mark.django_db
def test_course_and_lesson_pages_speak_simplified_chinese(client, course):
    learner = UserFactory(preferred_language="zh-hans")
    client.force_login(learner)
    assert "报名" in client.get(course.url, follow=True).content.decode()
    services.course_enrol(user=learner, course=course)
    content = client.get(lessons(course)[0].url, follow=True).content.decode()
    assert "课程大纲" in content and "标记完成并继续" in content


@pytest.mark.django_db
def test_lesson_renders_figure_table_and_download_blocks(client, user):
    import io

    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 20), "#0e7490").save(buffer, format="PNG")
    image = get_image_model().objects.create(title="Topology", file=ImageFile(buffer, name="topology.png"))
    document = get_document_model().objects.create(title="Lab guide", file=ContentFile(b"# Lab", name="lab-guide.md"))
    course = build.course()
    body = [
        ("figure", {"image": {"image": image, "alt_text": "Two zones", "decorative": False}, "caption": "HA pair"}),
        ("table", {"data": [["Mode", "Standbys"], ["zonal-ha", "1"]], "first_row_is_table_header": True}),
        ("download", {"document": document, "title": "", "description": "Run it in a sandbox."}),
    ]
    lesson = build.lesson(course_page=course, body=body)
    services.course_enrol(user=user, course=course)
    client.force_login(user)
    content = client.get(lesson.url).content.decode()
    assert "<figcaption>HA pair</figcaption>" in content and 'alt="Two zones"' in content
    assert "<th" in content and "zonal-ha" in content
    assert document.url in content and "Lab guide" in content
