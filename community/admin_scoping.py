"""Snippet admin views that show only what the person may manage. Wagtail's snippet chooser
lists every row, and its edit and delete views load any row by id; these narrow both, so a
vendor's staff never reach another vendor's rows, whether by menu, chooser or URL."""

from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet


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
