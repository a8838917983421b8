from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Product, Region
from forums.models import Category, EmailPreference, Flag, Topic

BODY_HELP = _(
    "Markdown: **bold**, `code`, ```fenced code```, > quotes, [links](https://…), ![images](https://…). "
    "Mention someone with @ and their handle, for example @wang_wei."
)


class PostForm(forms.Form):
    body = forms.CharField(label=_("Your post"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP)

    def __init__(self, *args, mention_url: str = "", **kwargs):
        """`mention_url`: where the mention picker asks whom it may offer (see forums.js)."""
        super().__init__(*args, **kwargs)
        if mention_url:
            self.fields["body"].widget.attrs["data-mention-url"] = mention_url


class TopicForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Topic.Kind.choices, initial=Topic.Kind.QUESTION)
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("name"), required=False,
        help_text=_("Collaboration requests: the product the customer project needs."),
    )  # fmt: skip
    region = forms.ChoiceField(label=_("Region"), choices=[("", "—"), *Region.choices], required=False)
    sought = forms.CharField(
        label=_("What you are looking for"), max_length=300, required=False,
        help_text=_("For example: a partner with delivery rights for this product in the region."),
    )  # fmt: skip

    engagement = forms.ModelChoiceField(
        label=_("About your engagement"), queryset=None, required=False,
        help_text=_(
            "Collaboration requests: link one of your company's open engagements. Only your company and "
            "the partners on its team see the link and the customer's name."
        ),
    )  # fmt: skip

    field_order = ["kind", "title", "body", "product", "region", "sought", "engagement"]

    def __init__(self, *args, engagements=None, **kwargs):
        """`engagements`: those the author may link (`partners.board_links.engagements_to_link`);
        without any, the form has no such field."""
        super().__init__(*args, **kwargs)
        if engagements is None or not engagements.exists():
            del self.fields["engagement"]
        else:
            self.fields["engagement"].queryset = engagements
            self.fields["engagement"].label_from_instance = lambda e: f"{e.customer_company} · {e.vendor.name}"

    def clean(self):
        data = super().clean()
        if data.get("kind") == Topic.Kind.COLLABORATION:
            for name in ("product", "region", "sought"):
                if not data.get(name):
                    self.add_error(name, _("A collaboration request needs this."))
        elif data.get("engagement"):
            self.add_error("engagement", _("Only a collaboration request links to an engagement."))
        return data


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Flag.Reason.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Anything moderators should know"), max_length=500, required=False)


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.all())


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label=_("Merge into topic number"),
        min_value=1,
        help_text=_("The number in the address of the topic that stays, e.g. 42 in /forums/t/42/."),
    )


class EmailPreferenceForm(forms.Form):
    mode = forms.ChoiceField(label=_("Forum e-mail"), choices=EmailPreference.Mode.choices, widget=forms.RadioSelect)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    category = forms.CharField(required=False)
    solved = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Solved")), ("no", _("Not solved"))],
    )
