"""Per-vendor authoring in the Wagtail admin: each vendor's groups work on their own academy
only, and courses go through the programme managers' review before they publish."""

import pytest
from wagtail.models import Page, WorkflowState
from wagtail.permissions import policy_registry

from courses.models import CoursePage, Enrolment
from tests.factories import courses as build
from tests.factories.community import ProductFactory, UserFactory, VendorFactory
from tests.factories.roles import PROGRAMME_MANAGERS, VENDOR_STAFF, people_in_every_role
from tests.policies import BOTH, assert_policy, people_for_policies
from tests.roles import Case, assert_exactly_the_allowed_roles, did, shows


def staff_of(academy, *, manager=False):
    user = UserFactory(is_staff=True)
    user.groups.add(academy.vendor.staff_group)
    if manager:
        user.groups.add(academy.vendor.manager_group)
    return user


@pytest.fixture
def academies(db):
    return build.academy(vendor=VendorFactory(name="Vendor A")), build.academy(vendor=VendorFactory(name="Vendor B"))


def add_url(parent):
    return f"/admin/pages/add/courses/coursepage/{parent.pk}/"


def course_form(title="New course", **extra):
    return {
        "title": title,
        "slug": title.lower().replace(" ", "-"),
        "summary": "What it teaches.",
        "level": "foundation",
        "language": "en",
        "duration_minutes": "60",
        "learning_outcomes": "",
        "overview-count": "0",
        **extra,
    }


@pytest.mark.django_db
def test_author_can_add_a_course_under_their_own_academy(client, academies):
    own, _other = academies
    client.force_login(staff_of(own))
    assert client.get(add_url(own)).status_code == 200
    response = client.post(add_url(own), course_form("Own course"))
    assert response.status_code == 302, response.content[:2000]
    course = CoursePage.objects.get(title="Own course")
    assert course.get_parent().pk == own.pk
    assert not course.live


@pytest.mark.django_db
def test_author_cannot_add_or_edit_under_another_vendors_academy(client, academies):
    own, other = academies
    foreign_course = build.course(academy_page=other, title="Foreign course", lessons=1)
    foreign_lesson = foreign_course.get_children().first()
    client.force_login(staff_of(own))

    response = client.get(add_url(other))
    assert response.status_code in (302, 403)
    response = client.post(add_url(other), course_form("Sneaky course"))
    assert response.status_code in (302, 403)
    assert not CoursePage.objects.filter(title="Sneaky course").exists()

    for page in (foreign_course, foreign_lesson, other):
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code in (302, 403), page
    response = client.post(f"/admin/pages/{foreign_course.pk}/edit/", course_form("Foreign course renamed"))
    assert response.status_code in (302, 403)
    assert Page.objects.get(pk=foreign_course.pk).title == "Foreign course"


@pytest.mark.django_db
def test_author_page_permissions_cover_only_their_academy(academies):
    own, other = academies
    author = staff_of(own)
    course = build.course(academy_page=own)
    assert course.permissions_for_user(author).can_edit()
    assert own.permissions_for_user(author).can_add_subpage()
    assert not other.permissions_for_user(author).can_add_subpage()
    assert not build.course(academy_page=other).permissions_for_user(author).can_edit()
    # Authors publish only through review; programme managers publish.
    assert not course.permissions_for_user(author).can_publish()
    assert course.permissions_for_user(staff_of(own, manager=True)).can_publish()
    assert not course.permissions_for_user(staff_of(other, manager=True)).can_edit()


@pytest.mark.django_db
def test_course_goes_through_programme_manager_review_before_publishing(client, academies):
    own, _other = academies
    author, manager = staff_of(own), staff_of(own, manager=True)
    client.force_login(author)
    client.post(add_url(own), course_form("Reviewed course", **{"action-submit": "1"}))
    course = CoursePage.objects.get(title="Reviewed course")
    state = WorkflowState.objects.get(object_id=str(course.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not course.live
    task_state = state.current_task_state
    assert set(task_state.task.specific.groups.all()) == {own.vendor.manager_group}

    client.force_login(manager)
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {"comment": "Looks good"}
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live


@pytest.mark.django_db
def test_programme_manager_can_reject_a_submitted_course(client, academies):
    own, _other = academies
    client.force_login(staff_of(own))
    client.post(add_url(own), course_form("Rejected course", **{"action-submit": "1"}))
    course = CoursePage.objects.get(title="Rejected course")
    state = WorkflowState.objects.get(object_id=str(course.pk))
    client.force_login(staff_of(own, manager=True))
    client.post(
        f"/admin/pages/workflow/action/{course.pk}/reject/{state.current_task_state.pk}/", {"comment": "Add a lab"}
    )
    state.refresh_from_db()
    course.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not course.live


@pytest.mark.django_db
def test_author_admin_forms_for_lessons_and_learning_paths_render(client, academies):
    own, _other = academies
    course = build.course(academy_page=own, lessons=1)
    client.force_login(staff_of(own))
    assert client.get(f"/admin/pages/add/courses/lessonpage/{course.pk}/").status_code == 200
    assert client.get(f"/admin/pages/add/courses/learningpathpage/{own.pk}/").status_code == 200
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200
    lesson = course.get_children().first()
    assert client.get(f"/admin/pages/{lesson.pk}/edit/").status_code == 200


@pytest.mark.django_db
def test_course_form_offers_only_the_academys_vendor_products(client, academies):
    own, other = academies
    own_product = ProductFactory(vendor=own.vendor, name="Own product")
    ProductFactory(vendor=other.vendor, name="Other vendor's product")
    client.force_login(staff_of(own))
    form = client.get(add_url(own)).context["form"]
    assert list(form.fields["products"].queryset) == [own_product]


@pytest.mark.django_db
def test_draft_lesson_preview_is_for_its_own_vendors_editors_only(client, academies):
    own, other = academies
    course = build.course(academy_page=own)
    draft = build.lesson(course_page=course, live=False, title="Unreleased lab")
    client.force_login(staff_of(own))
    response = client.get(f"/admin/pages/{draft.pk}/view_draft/")
    assert response.status_code == 200 and b"Unreleased lab" in response.content
    client.force_login(staff_of(other))
    assert client.get(f"/admin/pages/{draft.pk}/view_draft/").status_code in (302, 403)


@pytest.mark.django_db
def test_programme_manager_cannot_move_their_academy_to_another_vendor(client, academies):
    own, other = academies
    client.force_login(staff_of(own, manager=True))
    form = client.get(f"/admin/pages/{own.pk}/edit/").context["form"]
    assert "vendor" not in form.fields


@pytest.mark.django_db
def test_programme_managers_see_only_their_own_learners_and_cannot_edit(client, academies):
    from courses import services

    own, other = academies
    learner, stranger = UserFactory(full_name="Own Learner"), UserFactory(full_name="Other Learner")
    mine = services.course_enrol(user=learner, course=build.course(academy_page=own))
    foreign = services.course_enrol(user=stranger, course=build.course(academy_page=other))
    client.force_login(staff_of(own, manager=True))
    content = client.get("/admin/enrolments/").content.decode()
    assert "Own Learner" in content and "Other Learner" not in content
    for enrolment in (mine, foreign):
        assert client.get(f"/admin/enrolments/edit/{enrolment.pk}/").status_code in (302, 403)
    client.force_login(staff_of(own))
    assert client.get("/admin/enrolments/").status_code in (302, 403)


@pytest.mark.django_db
def test_enrolment_policy_lets_those_with_the_permission_view_and_nothing_else(academies):
    from courses import services

    own, other = academies  # each academy gives its vendor's managers the permission
    people = people_for_policies(vendor=own.vendor, other_vendor=other.vendor, outsider_permissions=["view_enrolment"])
    learner = UserFactory()
    enrolments = {
        key: services.course_enrol(user=learner, course=build.course(academy_page=academy))
        for key, academy in (("own", own), ("other", other))
    }
    # The index, not the policy, narrows the rows to the person's academies (see the test above).
    viewers = ("superuser", "manager", "other vendor's manager", "permitted outsider")
    expected = {role: ({"view"}, BOTH) for role in viewers}
    assert_policy(policy_registry.get_by_type(Enrolment), people, enrolments, expected)


@pytest.mark.django_db
def test_prerequisite_picker_offers_only_other_courses_of_the_same_academy(client, academies):
    own, other = academies
    basics = build.course(academy_page=own, title="Own basics")
    advanced = build.course(academy_page=own, title="Own advanced")
    foreign = build.course(academy_page=other, title="Other vendor's course")
    client.force_login(staff_of(own))

    offered = client.get(add_url(own)).context["form"].fields["prerequisites"].queryset
    assert list(offered) == [advanced, basics]
    offered = client.get(f"/admin/pages/{advanced.pk}/edit/").context["form"].fields["prerequisites"].queryset
    assert list(offered) == [basics]

    response = client.post(add_url(own), course_form("Sneaky course", prerequisites=[foreign.pk]))
    assert response.status_code == 200
    assert "prerequisites" in response.context["form"].errors
    assert not CoursePage.objects.filter(title="Sneaky course").exists()


@pytest.fixture
def course_world(academies):
    from courses import services

    own, other = academies
    learner = UserFactory(full_name="Own Learner")
    live = build.course(academy_page=own, title="Live course")
    services.course_enrol(user=learner, course=live)
    return {
        "people": people_in_every_role(vendor=own.vendor, other_vendor=other.vendor),
        "live": live,
        "draft": build.course(academy_page=own, title="Draft course", live=False),
        "learner": learner,
    }


def _live(page) -> bool:
    return Page.objects.get(pk=page.pk).live


PAGE_CASES = {
    "edit a course": Case(
        "get", lambda w: f"/admin/pages/{w['live'].pk}/edit/", shows(lambda w: "Live course"), VENDOR_STAFF
    ),
    "submit a course for review": Case(
        "post",
        lambda w: f"/admin/pages/{w['draft'].pk}/edit/",
        did(lambda w: WorkflowState.objects.filter(object_id=str(w["draft"].pk), status="in_progress").exists()),
        VENDOR_STAFF,
        lambda w: course_form("Draft course", **{"action-submit": "1"}),
    ),
    "publish a course": Case(
        "post",
        lambda w: f"/admin/pages/{w['draft'].pk}/edit/",
        did(lambda w: _live(w["draft"])),
        PROGRAMME_MANAGERS,
        lambda w: course_form("Draft course", **{"action-publish": "1"}),
    ),
    "unpublish a course": Case(
        "post",
        lambda w: f"/admin/pages/{w['live'].pk}/unpublish/",
        did(lambda w: not _live(w["live"])),
        PROGRAMME_MANAGERS,
    ),
    "enrolments": Case("get", lambda w: "/admin/enrolments/", shows(lambda w: "Own Learner"), PROGRAMME_MANAGERS),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGE_CASES)
def test_each_role_does_exactly_its_part_on_a_vendors_courses(course_world, name):
    assert_exactly_the_allowed_roles(course_world, PAGE_CASES[name])
