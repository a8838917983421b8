"""What the community pages show: called by the page models in community/models/pages.py when
Wagtail serves them."""

from django.utils.functional import SimpleLazyObject

from community import selectors
from community.models import HomePage


def home(*, request, page: HomePage) -> dict:
    """The site's numbers and the vendor showcase, read fresh so they never go stale."""
    return {
        "stats": selectors.site_stats(),
        "vendors": selectors.vendor_showcase(),
        # Read only by the next steps a signed-in person without an organisation is shown.
        "pending_invitations": SimpleLazyObject(lambda: list(selectors.invitations_pending_for(user=request.user))),
    }
