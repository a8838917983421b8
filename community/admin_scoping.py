"""The admin's vendor scoping: a permission policy, menu items and snippet views that show only
what the person may manage. Wagtail's snippet chooser lists every row, and its edit and delete
views load any row by id; these narrow both, so a vendor's staff never reach another vendor's
rows, whether by menu, chooser or URL. The person's vendors are read once per request."""

from collections.abc import Collection

from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from community.selectors import vendors_for_managers, vendors_for_staff


class _OwnObjectsOnly:
    """Load only the objects the model's permission policy lets the person change or delete;
    any other id is a 404."""

    def get_queryset(self):
        return self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change", "delete"])


class ScopedEditView(_OwnObjectsOnly, snippet_views.EditView):
    pass


class ScopedDeleteView(_OwnObjectsOnly, snippet_views.DeleteView):
    pass


class _ScopedToViewset:
    def get_object_list(self):
        objects = super().get_object_list()
        scoped = self.model.snippet_viewset.get_queryset(self.request)
        return objects if scoped is None else objects.filter(pk__in=scoped.values("pk"))


class ScopedChooseView(_ScopedToViewset, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedToViewset, ChooseResultsView):
    pass


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView


def staff_vendor_ids(user) -> frozenset[int]:
    """The person's vendors, read once per user object (that is, per request): listings ask about
    every row, and each of the staff menu items asks again."""
    cached = user.__dict__.get("_staff_vendor_ids")
    if cached is None:
        cached = user.__dict__["_staff_vendor_ids"] = frozenset(
            vendors_for_staff(user=user).values_list("pk", flat=True)
        )
    return cached


def managed_vendor_ids(user) -> frozenset[int]:
    """The vendors whose programme the person manages, read once per user object like
    `staff_vendor_ids`."""
    cached = user.__dict__.get("_managed_vendor_ids")
    if cached is None:
        cached = user.__dict__["_managed_vendor_ids"] = frozenset(
            vendors_for_managers(user=user).values_list("pk", flat=True)
        )
    return cached


class VendorScopedPolicy(ModelPermissionPolicy):
    """Anyone on a vendor's staff may act on that vendor's rows (only its programme managers, with
    `managers_only`), and on those only: listing, opening by URL and choosing are all narrowed to
    those vendors, found through `vendor_path` from the row. `vendor_path=None` leaves the rows to
    the view, for models that reach their vendor otherwise (enrolments, through the page tree).

    `actions` lists the only actions anyone (superusers too) may take, all when None. With
    `model_permissions`, whether a person may act at all is Django's model permission for the
    action, as in `ModelPermissionPolicy` (the vendor groups carry it), instead of being on some
    vendor's staff; each row still has to be one of the person's vendors'."""

    def __init__(
        self,
        model,
        vendor_path: str | None,
        *,
        managers_only: bool = False,
        actions: Collection[str] | None = None,
        model_permissions: bool = False,
    ):
        super().__init__(model)
        self.vendor_path = vendor_path
        self.managers_only = managers_only
        self.actions = None if actions is None else frozenset(actions)
        self.model_permissions = model_permissions

    def _vendor_id(self, instance) -> int | None:
        *path, last = self.vendor_path.split("__")
        value = instance
        for part in path:
            value = getattr(value, part, None)
            if value is None:
                return None
        return getattr(value, f"{last}_id", None)

    def _vendor_ids(self, user) -> frozenset[int]:
        return managed_vendor_ids(user) if self.managers_only else staff_vendor_ids(user)

    def _owns(self, user, instance) -> bool:
        return self.vendor_path is None or user.is_superuser or self._vendor_id(instance) in self._vendor_ids(user)

    def user_has_permission(self, user, action):
        if self.actions is not None and action not in self.actions:
            return False
        if self.model_permissions:
            return super().user_has_permission(user, action)
        return user.is_active and (user.is_superuser or bool(self._vendor_ids(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._owns(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        if self.vendor_path is None or user.is_superuser:
            return self.model.objects.all()
        return self.model.objects.filter(**{f"{self.vendor_path}__in": self._vendor_ids(user)})


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(staff_vendor_ids(request.user))


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(managed_vendor_ids(request.user))
