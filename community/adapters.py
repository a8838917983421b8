from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return getattr(settings, "ACCOUNT_ALLOW_SIGNUP", True)

    def save_user(self, request, user, form, commit=True):
        data = form.cleaned_data
        user.full_name = data.get("full_name", "").strip()
        user.preferred_language = getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix, email, context):
        """Allauth's e-mails sign off with a link to the site (SITE_URL) rather than the Sites
        framework's bare domain, and name the site by its name (templates/account/email/)."""
        return super().send_mail(template_prefix, email, {**context, "site_url": settings.SITE_URL})


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through a vendor's identity provider: take the person's name from it."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(filter(None, [data.get("first_name"), data.get("last_name")]))
        user.full_name = (name or user.email or "").strip()
        return user
