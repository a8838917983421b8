"""The "Moderators" group moderates the forums and nothing else: Wagtail's default page, image
and workflow rights of a group of that name are gone on every database and stay gone."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowTask,
)

from forums import services
from tests.factories import courses as build

pytestmark = pytest.mark.django_db


def _wagtail_defaults(group: Group) -> GroupApprovalTask:
    """What Wagtail's own migrations give a "Moderators" group, as an older database still has."""
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
    images = Permission.objects.filter(content_type__app_label="wagtailimages")
    group.permissions.add(*images)
    for permission in images:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=Collection.get_first_root_node(), permission=permission
        )
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.add(group)
    workflow = Workflow.objects.create(name="Moderators approval")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return task


def _assert_forum_rights_only(group: Group) -> None:
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
    assert not GroupApprovalTask.objects.filter(groups=group).exists()
    apps_held = set(group.permissions.values_list("content_type__app_label", flat=True))
    assert apps_held <= {"forums", "wagtailadmin"}


def test_forum_moderator_cannot_edit_publish_or_unpublish_a_vendors_course(moderator):
    course = build.course(title="Vendor course")
    tester = course.permissions_for_user(moderator)
    assert not (tester.can_edit() or tester.can_publish() or tester.can_unpublish() or tester.can_delete())
    client = Client()
    client.force_login(moderator)
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code in (302, 403)
    client.post(f"/admin/pages/{course.pk}/unpublish/")
    course.refresh_from_db()
    assert course.live


def test_a_migrated_database_leaves_moderators_no_page_image_or_approval_rights():
    moderators = Group.objects.get(name="Moderators")
    _assert_forum_rights_only(moderators)
    assert not Workflow.objects.filter(name="Moderators approval").exists()


def test_the_migration_repairs_a_database_that_has_wagtails_defaults():
    moderators = Group.objects.get(name="Moderators")
    task = _wagtail_defaults(moderators)
    migration = importlib.import_module("forums.migrations.0003_moderators_moderate_forums_only")
    migration.moderators_moderate_forums_only(apps, None)
    _assert_forum_rights_only(moderators)
    task.refresh_from_db()
    assert task.name == "Site administrators approval"
    assert Workflow.objects.filter(name="Site administrators approval", workflow_tasks__task=task).exists()


def test_seeding_again_repairs_the_group_and_grants_exactly_the_moderation_rights():
    moderators = Group.objects.get(name="Moderators")
    _wagtail_defaults(moderators)
    assert services.moderators_group_ensure() == moderators
    _assert_forum_rights_only(moderators)
    held = set(moderators.permissions.values_list("content_type__app_label", "codename"))
    assert held == set(services.MODERATOR_PERMISSIONS)
    services.moderators_group_ensure()
    assert moderators.permissions.count() == len(services.MODERATOR_PERMISSIONS)
