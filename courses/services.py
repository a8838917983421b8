"""Writes for academies, enrolments and lesson progress. Each function is one transaction and
the only place its rule lives; views, the demo and other apps call these."""

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from community import services as community_services
from community.models import HomePage, User, Vendor
from courses import selectors
from courses.models import AcademyPage, CatalogPage, CoursePage, Enrolment, LessonPage, LessonProgress

# Page permissions on the vendor's own academy subtree. Authors (staff) write and submit for
# review; programme managers also publish, which is how a reviewed course goes live. Staff
# deliberately lack "publish": Wagtail lets publishers bypass a workflow, and courses must not.
STAFF_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
MANAGER_PAGE_PERMISSIONS = [*STAFF_PAGE_PERMISSIONS, "publish_page"]


@transaction.atomic
def catalogue_ensure(*, title: str = "Courses") -> CatalogPage:
    """The site's course catalogue at /courses/, created (published) under the home page if
    missing."""
    default = Locale.get_default()
    catalogue = CatalogPage.objects.filter(locale=default).first()
    if catalogue is not None:
        return catalogue
    home = HomePage.objects.filter(locale=default).first()
    if home is None:
        raise ValidationError(_("The site has no home page to put the catalogue under."))
    catalogue = home.add_child(
        instance=CatalogPage(
            title=title,
            slug="courses",
            intro="Product training written by the vendors themselves: hands-on lessons, labs and "
            "knowledge checks that prepare you for certification.",
        )
    )
    catalogue.save_revision().publish()
    return catalogue


def _grant(group, page: Page, codenames: list[str]) -> None:
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def academy_workflow_ensure(*, academy: AcademyPage) -> Workflow:
    """Assign the academy's course review workflow: one approval step by the vendor's programme
    managers, applying to every page under the academy. Idempotent."""
    vendor = academy.vendor
    community_services.vendor_ensure_groups(vendor=vendor)
    task, _created = GroupApprovalTask.objects.get_or_create(name=f"{vendor.name}: programme manager review")
    task.groups.add(vendor.manager_group)
    workflow, _created = Workflow.objects.get_or_create(name=f"{vendor.name} course review")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=academy, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def academy_create(*, vendor: Vendor, intro: str = "", publish: bool = True) -> AcademyPage:
    """The vendor's academy under the catalogue, with its groups' page permissions (authors:
    add/edit; programme managers: add/edit/publish; on this subtree only) and the review
    workflow. Returns the existing academy, with permissions and workflow re-ensured, if the
    vendor already has one."""
    community_services.vendor_ensure_groups(vendor=vendor)
    academy = selectors.academy_for_vendor(vendor=vendor)
    if academy is None:
        catalogue = catalogue_ensure()
        slug = slugify(vendor.slug or vendor.name) or f"vendor-{vendor.pk}"
        academy = catalogue.add_child(
            instance=AcademyPage(
                title=f"{vendor.name} Academy", slug=slug, vendor=vendor, intro=intro or vendor.description
            )
        )
        if publish:
            academy.save_revision().publish()
    academy_access_ensure(academy=academy)
    return academy


@transaction.atomic
def academy_access_ensure(*, academy: AcademyPage) -> None:
    """The vendor groups' page permissions and the review workflow on the academy's subtree;
    each translation of an academy is a subtree of its own and gets them when it is made.
    Idempotent."""
    vendor = academy.vendor
    community_services.vendor_ensure_groups(vendor=vendor)
    _grant(vendor.staff_group, academy, STAFF_PAGE_PERMISSIONS)
    _grant(vendor.manager_group, academy, MANAGER_PAGE_PERMISSIONS)
    # Programme managers follow their learners in the admin (scoped to their academy there).
    vendor.manager_group.permissions.add(
        Permission.objects.get(content_type__app_label="courses", codename="view_enrolment")
    )
    academy_workflow_ensure(academy=academy)


@transaction.atomic
def course_make_translation(*, course: CoursePage, original: CoursePage, parent: AcademyPage) -> CoursePage:
    """Turn a separate course written in another language into `original`'s translation: moved
    under `parent` (the academy's translation), in its locale, sharing `original`'s translation
    key and slug (so both answer at the same path under their language's prefix). Its lessons
    move with it, and its learners keep their enrolments and progress."""
    if course.get_translations().filter(locale=parent.locale_id).exists():
        raise ValidationError(_("The course already has a translation in this language."))
    course.move(parent, pos="last-child")
    course.refresh_from_db()
    Page.objects.filter(path__startswith=course.path).update(locale=parent.locale_id)
    course.locale_id = parent.locale_id
    course.translation_key = original.translation_key
    course.slug = original.slug
    course.save()
    if course.live:
        course.save_revision().publish()
    return course


class EnrolmentRefused(ValidationError):
    """Why a learner cannot enrol; the message names what is missing."""


@transaction.atomic
def course_enrol(*, user: User, course: CoursePage) -> Enrolment:
    """Enrol `user` in a live course. Refused (EnrolmentRefused naming the courses) while any
    live prerequisite is not completed. Enrolling twice returns the existing enrolment."""
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    if not course.live:
        raise EnrolmentRefused(_("This course is not published."))
    missing = selectors.missing_prerequisites(user=user, course=course)
    if missing:
        raise EnrolmentRefused(
            _("Complete these courses first: %(courses)s.") % {"courses": ", ".join(c.title for c in missing)},
            code="prerequisites",
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, course=course)
    except IntegrityError:  # a concurrent request enrolled first
        return Enrolment.objects.get(user=user, course=course)


def lesson_visit(*, enrolment: Enrolment, lesson: LessonPage) -> None:
    """Remember the lesson the learner opened last (for "resume"). One UPDATE, atomic by itself:
    a transaction around it would only add BEGIN and COMMIT to every lesson page."""
    Enrolment.objects.filter(pk=enrolment.pk).update(last_lesson=lesson, last_activity_at=timezone.now())


@transaction.atomic
def lesson_complete(*, user: User, lesson: LessonPage) -> Enrolment:
    """Mark a live lesson complete for an enrolled learner (idempotent) and complete the
    course once every live lesson of it is done. The enrolment row is locked so two lessons
    finished at once still complete the course exactly once; completion is never undone."""
    if not lesson.live:
        raise ValidationError(_("This lesson is not published."))
    course = selectors.course_of(lesson=lesson)
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    if enrolment is None:
        raise ValidationError(_("Enrol in the course before completing its lessons."))
    LessonProgress.objects.get_or_create(user=user, lesson=lesson, defaults={"course": course})
    now = timezone.now()
    enrolment.last_lesson = lesson
    enrolment.last_activity_at = now
    fields = ["last_lesson", "last_activity_at"]
    if enrolment.completed_at is None:
        live_ids = set(selectors.lessons_live_of(course=course).values_list("pk", flat=True))
        if live_ids and live_ids <= selectors.completed_lesson_ids(user=user, course=course):
            enrolment.completed_at = now
            fields.append("completed_at")
    enrolment.save(update_fields=fields)
    return enrolment
