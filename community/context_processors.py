from django.utils.functional import SimpleLazyObject

from community import selectors


def site(request):
    """What the base template needs on every page; lazy, so pages that do not show it pay nothing."""
    user = getattr(request, "user", None)
    return {
        "current_membership": SimpleLazyObject(
            lambda: selectors.membership_current(user=user) if user is not None else None
        ),
    }
