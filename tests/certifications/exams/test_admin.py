import pytest
from django.urls import reverse

from certifications.exams import services
from certifications.models import Accommodation, ExamAttempt, Question
from community import services as community_services
from tests.factories import certifications as f
from tests.factories.community import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return f.exam(questions=4)


def _staff(vendor):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person)
    return person


def _manager(vendor):
    person = UserFactory(is_staff=True)
    community_services.vendor_staff_add(vendor=vendor, user=person, manager=True)
    return person


@pytest.fixture
def graded(exam):
    candidates = []
    for right in (4, 3, 1, 0):
        candidate = UserFactory()
        attempt = services.attempt_start(exam=exam, user=candidate)
        f.answer_all(attempt, correct=right)
        candidates.append(services.attempt_submit(attempt=attempt))
    return candidates


def test_results_are_for_that_vendors_programme_managers_only(client, exam, graded):
    url = reverse("certifications_admin:exam_report", args=[exam.pk])
    client.force_login(_manager(exam.certification.vendor))
    response = client.get(url)
    assert response.status_code == 200
    assert graded[0].user.email in response.content.decode()
    client.force_login(_manager(f.certification().vendor))
    assert client.get(url).status_code == 404
    assert exam.certification.title not in client.get(reverse("certifications_admin:index")).content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302  # not admin: sent to the admin sign-in


def test_results_index_counts_each_exams_attempts_and_passes(client, exam, graded, count_queries):
    vendor = exam.certification.vendor
    services.attempt_start(exam=exam, user=UserFactory())  # in progress: an attempt, not a pass
    untried = f.exam(certification_page=f.certification(vendor=vendor), questions=4)
    client.force_login(_manager(vendor))
    url = reverse("certifications_admin:index")
    client.get(url)
    with count_queries() as few:
        response = client.get(url)
    counts = {e.pk: (e.attempt_count, e.pass_count) for e in response.context["exams"]}
    assert counts == {exam.pk: (5, 2), untried.pk: (0, 0)}

    # The counts come in one grouped query, however many exams and attempts there are.
    busy = f.exam(certification_page=f.certification(vendor=vendor), questions=4)
    for right in (4, 0):
        attempt = services.attempt_start(exam=busy, user=UserFactory())
        f.answer_all(attempt, correct=right)
        services.attempt_submit(attempt=attempt)
    with count_queries() as more:
        response = client.get(url)
    assert {e.pk: e.pass_count for e in response.context["exams"]}[busy.pk] == 1
    assert len(more) == len(few), more.sql()


def test_pass_rate_filters_and_csv_export(client, exam, graded):
    client.force_login(_manager(exam.certification.vendor))
    url = reverse("certifications_admin:exam_report", args=[exam.pk])
    body = client.get(url).content.decode()
    assert "50%" in body  # 4/4 and 3/4 pass at 70%; 1/4 and 0/4 fail
    failed = client.get(url, {"result": "failed"}).content.decode()
    assert graded[3].user.email in failed and graded[0].user.email not in failed
    export = client.get(url, {"export": "csv", "result": "passed"})
    assert export["Content-Type"].startswith("text/csv")
    rows = export.content.decode().strip().splitlines()
    assert len(rows) == 3 and rows[0].startswith("candidate,email")


def test_question_statistics_give_facility_and_discrimination(exam, graded):
    from certifications.exams import selectors

    stats = selectors.exam_question_statistics(exam=exam)
    assert len(stats) == 4 and all(row["drawn"] == 4 for row in stats)
    assert all(0 <= row["facility"] <= 1 for row in stats)
    # The strongest candidate got everything right, the weakest nothing.
    assert all(row["discrimination"] == 1 for row in stats)


def test_programme_managers_grant_accommodation_and_reopen_with_notes(client, exam, graded):
    client.force_login(_manager(exam.certification.vendor))
    failed = graded[3]
    response = client.post(
        reverse("certifications_admin:accommodation_grant", args=[exam.pk]),
        {"email": failed.user.email, "extra_minutes": 20, "extra_attempts": 1, "note": "Dyslexia"},
    )
    assert response.status_code == 302 and Accommodation.objects.get().extra_minutes == 20
    response = client.post(
        reverse("certifications_admin:accommodation_grant", args=[exam.pk]),
        {"email": "nobody@example.com", "extra_minutes": 20, "extra_attempts": 0, "note": "x"},
    )
    assert "Nobody has an account" in response.content.decode()
    client.post(reverse("certifications_admin:attempt_reopen", args=[failed.pk]), {"note": "Power cut"})
    failed.refresh_from_db()
    assert failed.reopened_at is not None and failed.in_progress
    body = client.get(reverse("certifications_admin:exam_report", args=[exam.pk])).content.decode()
    assert "Power cut" in body and "Dyslexia" in body and "Result before: 0%" in body


def test_reopen_without_a_note_or_with_bad_minutes_changes_nothing(client, exam, graded):
    client.force_login(_manager(exam.certification.vendor))
    url = reverse("certifications_admin:attempt_reopen", args=[graded[3].pk])
    response = client.post(url, {"note": " "}, follow=True)
    assert "Write a note saying why" in response.content.decode()
    response = client.post(url, {"note": "Outage", "extra_minutes": "-5"}, follow=True)
    assert response.status_code == 200
    graded[3].refresh_from_db()
    assert graded[3].reopened_at is None and not graded[3].in_progress


def test_other_vendors_programme_managers_cannot_reopen(client, exam, graded):
    client.force_login(_manager(f.certification().vendor))
    response = client.post(reverse("certifications_admin:attempt_reopen", args=[graded[3].pk]), {"note": "x"})
    assert response.status_code == 404
    assert ExamAttempt.objects.filter(reopened_at__isnull=False).count() == 0


def test_import_reports_lines_and_keeps_input_then_imports(client):
    pool = f.QuestionPoolFactory()
    client.force_login(_staff(pool.vendor))
    url = reverse("certifications_admin:pool_import", args=[pool.pk])
    bad = "Fine {=a ~b}\n\nBroken without answers\n"
    response = client.post(url, {"format": "gift", "text": bad})
    body = response.content.decode()
    assert "Line 3" in body and "Broken without answers" in body
    assert not Question.objects.filter(pool=pool).exists()
    response = client.post(url, {"format": "gift", "text": "Fine {=a ~b}\n\nAlso fine {T}\n"})
    assert response.status_code == 302 and Question.objects.filter(pool=pool).count() == 2
    export = client.get(reverse("certifications_admin:pool_export", args=[pool.pk, "gift"]))
    assert "Also fine {T}" in export.content.decode()
    client.force_login(_staff(f.certification().vendor))
    assert client.get(url).status_code == 404
    assert client.get(reverse("certifications_admin:pool_export", args=[pool.pk, "csv"])).status_code == 404


def test_question_snippets_are_scoped_to_the_vendor(client):
    mine = f.QuestionPoolFactory()
    theirs = f.QuestionPoolFactory()
    f.question(pool=mine, text="My vendor's question")
    other = f.question(pool=theirs, text="Their vendor's question")
    client.force_login(_staff(mine.vendor))
    listing = client.get(reverse("wagtailsnippets_certifications_question:list")).content.decode()
    assert "My vendor&#x27;s question" in listing and "Their vendor" not in listing
    assert client.get(reverse("wagtailsnippets_certifications_question:edit", args=[other.pk])).status_code == 404
    assert client.get(reverse("wagtailsnippets_certifications_questionpool:edit", args=[theirs.pk])).status_code == 404
    their_exam = f.exam(questions=1)
    assert client.get(reverse("wagtailsnippets_certifications_exam:edit", args=[their_exam.pk])).status_code == 404


def test_question_form_rejects_two_correct_options_for_single_choice(client):
    pool = f.QuestionPoolFactory()
    client.force_login(_staff(pool.vendor))
    data = {
        "pool": pool.pk,
        "kind": "single",
        "scoring": "all_or_nothing",
        "text": "Pick one",
        "explanation": "",
        "section_tag": "",
        "active": "on",
        "options-TOTAL_FORMS": "2",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "2",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-text": "A",
        "options-0-is_correct": "on",
        "options-0-ORDER": "1",
        "options-1-text": "B",
        "options-1-is_correct": "on",
        "options-1-ORDER": "2",
        # The translations inline, empty: the form posts its management form like every formset.
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("wagtailsnippets_certifications_question:add"), data)
    assert response.status_code == 200
    assert not Question.objects.filter(text="Pick one").exists()
    data["options-1-is_correct"] = ""
    response = client.post(reverse("wagtailsnippets_certifications_question:add"), data)
    assert Question.objects.filter(text="Pick one").exists(), response.content.decode()[:3000]


def test_certification_page_form_offers_only_the_academys_products_and_sets_the_vendor(client):
    from certifications.models import CertificationPage
    from courses.selectors import academy_for_vendor
    from tests.factories.community import ProductFactory

    certification_page = f.certification()
    vendor = certification_page.vendor
    mine, theirs = ProductFactory(vendor=vendor), ProductFactory()
    academy = academy_for_vendor(vendor=vendor)
    form_class = CertificationPage.get_edit_handler().get_form_class()
    page = CertificationPage()
    form = form_class(instance=page, parent_page=academy, for_user=UserFactory(is_superuser=True))
    assert list(form.fields["products"].queryset) == [mine]
    assert theirs not in form.fields["products"].queryset
    form.cleaned_data = {}
    form.clean()
    assert page.vendor_id == vendor.pk


def test_exam_form_offers_only_own_certifications_and_pools(client):
    mine = f.certification()
    theirs = f.certification()
    own_pool = f.QuestionPoolFactory(vendor=mine.vendor, name="Own pool")
    f.QuestionPoolFactory(vendor=theirs.vendor, name="Foreign pool")
    client.force_login(_staff(mine.vendor))
    body = client.get(reverse("wagtailsnippets_certifications_exam:add")).content.decode()
    assert mine.title in body and theirs.title not in body
    assert own_pool.name in body and "Foreign pool" not in body
