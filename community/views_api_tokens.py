"""The API tokens page (`/accounts/api-tokens/`): vendor staff and partner admins make tokens
for their vendor or organisation, see the secret once, and list and revoke the tokens they may
see. Anyone who may make no token gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import api_tokens
from community.errors import error_text
from community.forms import ApiTokenForm


@login_required
def api_token_list(request):
    owners = api_tokens.token_owners_for(user=request.user)
    if not owners:
        raise Http404
    form = ApiTokenForm(request.POST or None, owners=owners)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = api_tokens.api_token_create(
                user=request.user,
                owner=form.cleaned_data["owner"],
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                scopes=form.cleaned_data["scopes"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            # Rendered, not redirected: the secret is in this answer and nowhere else.
            form = ApiTokenForm(owners=owners)
    return render(
        request,
        "community/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": api_tokens.tokens_visible_to(user=request.user),
        },
    )


@login_required
@require_POST
def api_token_revoke(request, token_id):
    try:
        token = api_tokens.api_token_revoke(token_id=token_id, user=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("community:api_tokens")
