"""Wagtail's user management with our user model: a full name and the name printed on
certificates instead of Wagtail's required first and last name."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users import forms as wagtail_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

NAME_FIELDS = {"full_name", "certificate_name"}


class UserCreationForm(wagtail_forms.UserCreationForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta(wagtail_forms.UserCreationForm.Meta):
        fields = (wagtail_forms.UserCreationForm.Meta.fields - {"first_name", "last_name"}) | NAME_FIELDS


class UserEditForm(wagtail_forms.UserEditForm):
    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=150)

    class Meta(wagtail_forms.UserEditForm.Meta):
        fields = (wagtail_forms.UserEditForm.Meta.fields - {"first_name", "last_name"}) | NAME_FIELDS


class UserViewSet(WagtailUserViewSet):
    create_template_name = "community/admin/user_create.html"
    edit_template_name = "community/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
