"""Snippet choosers that list only what the person may manage. Wagtail's snippet chooser lists
every row of a model; ours narrow it to the snippet viewset's own `get_queryset(request)`, so a
vendor's staff never see another vendor's rows through a chooser either."""

from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet


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
