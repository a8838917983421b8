"""The forums in the Wagtail admin, for moderators and staff: categories are edited here; topics,
posts, flags and the moderation log are listed for lookup (the site's moderation pages act)."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from community.translation_forms import translations_form, translations_panel
from forums.models import Category, Flag, ModerationAction, Post, Topic


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    list_display = ["name", "product", "visibility", "position", "topic_count", "post_count"]
    list_filter = ["visibility"]
    search_fields = ["name"]
    ordering = ["position", "name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("description"),
            FieldPanel("product"),
            FieldRowPanel([FieldPanel("position"), FieldPanel("visibility")]),
            translations_panel(Category),
        ],
        base_form_class=translations_form(Category),
    )


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "list-ul"
    list_display = ["title", "category", "kind", "author", BooleanColumn("is_solved"), "last_activity_at"]
    list_filter = ["kind", "category", "is_solved", "is_locked", "is_hidden"]
    search_fields = ["title"]


class PostViewSet(SnippetViewSet):
    model = Post
    icon = "comment"
    list_display = ["__str__", "author", "created_at", BooleanColumn("is_approved"), BooleanColumn("is_hidden")]
    list_filter = ["is_approved", "is_hidden", "is_deleted"]
    search_fields = ["body"]


class FlagViewSet(SnippetViewSet):
    model = Flag
    icon = "warning"
    list_display = ["post", "reason", "user", "created_at", "resolved_at"]
    list_filter = ["reason"]


class ModerationActionViewSet(SnippetViewSet):
    model = ModerationAction
    icon = "history"
    list_display = ["action", "moderator", "topic", "detail", "created_at"]
    list_filter = ["action"]


class ForumsViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Forums")
    menu_icon = "group"
    menu_order = 400
    items = (CategoryViewSet, TopicViewSet, PostViewSet, FlagViewSet, ModerationActionViewSet)


register_snippet(ForumsViewSetGroup)
