"""The "Moderators" group is the forum moderators'. Wagtail's first migrations create a group of
that name that may add, edit and publish every page from the root of the tree (bypassing the
vendors' course review), manage every image and document, and approve any page in Wagtail's
default "Moderators approval" workflow. This takes those rights away again on every database,
new or already in use; `forums.services.moderators_group_ensure` keeps them away afterwards."""

from django.db import migrations

DEFAULT_APPROVAL = "Moderators approval"
SITE_ADMINISTRATORS_APPROVAL = "Site administrators approval"


def moderators_moderate_forums_only(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    GroupPagePermission.objects.filter(group=moderators).delete()
    GroupCollectionPermission.objects.filter(group=moderators).delete()
    moderators.permissions.remove(
        *Permission.objects.filter(content_type__app_label__in=["wagtailimages", "wagtaildocs"])
    )
    for task in GroupApprovalTask.objects.filter(groups=moderators):
        task.groups.remove(moderators)
        # Wagtail's default task for the pages outside the academies: only administrators
        # approve those now, so its name says so.
        if task.name == DEFAULT_APPROVAL and not task.groups.exists():
            task.name = SITE_ADMINISTRATORS_APPROVAL
            task.save(update_fields=["name"])
            Workflow.objects.filter(name=DEFAULT_APPROVAL, workflow_tasks__task_id=task.pk).update(
                name=SITE_ADMINISTRATORS_APPROVAL
            )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_topic_recent_activity_index"),
        ("wagtailcore", "0090_remove_grouppagepermission_permission_type"),
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(moderators_moderate_forums_only, migrations.RunPython.noop)]
