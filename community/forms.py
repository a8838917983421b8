from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from community.models import ApiToken, Membership, PartnerOrganisation, User


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    field_order = ["full_name", "email", "password1", "password2"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "certificate_name", "preferred_language", "time_zone", "public_profile"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = PartnerOrganisation
        fields = ["name", "kind", "region", "country", "city", "website", "description", "logo"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.ENGINEER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class ApiTokenForm(forms.Form):
    """A new API token: for which vendor or organisation (`owners`, from
    `community.api_tokens.token_owners_for`), what it may do and for how long."""

    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("What uses it, say “CRM sync”."))
    owner = forms.ChoiceField(label=_("For"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ApiToken.Kind.choices, widget=forms.RadioSelect)
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vendors' programme managers may give every vendor scope; other staff, reading certificates."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=[
            (days, ngettext_lazy("%(days)d day", "%(days)d days", days) % {"days": days}) for days in (30, 90, 365)
        ],
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.owners = {owner.key: owner for owner in owners}
        self.fields["owner"].choices = [(owner.key, owner.label) for owner in owners]
        self.fields["kind"].initial = ApiToken.Kind.PERSONAL

    def clean(self):
        data = super().clean()
        owner = self.owners.get(data.get("owner"))
        if owner and data.get("scopes") and not set(data["scopes"]) <= set(owner.scopes):
            labels = ", ".join(str(ApiToken.Scope(scope).label) for scope in owner.scopes)
            self.add_error(
                "scopes", _("For %(owner)s you may choose: %(scopes)s.") % {"owner": owner.label, "scopes": labels}
            )
        data["owner"] = owner
        return data
