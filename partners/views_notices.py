"""The signed-in person's marketplace notices (`/partners/notices/`): offers, answers, decisions,
team invitations, each linking to where they act on it. Opening the list marks them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from partners.event_text import event_sentence
from partners.models import MarketplaceNotification

NOTICES_PER_PAGE = 30


@login_required
def notices(request):
    mine = MarketplaceNotification.objects.filter(user=request.user)
    page = Paginator(
        mine.select_related("event__organisation").order_by("-created_at", "-pk"), NOTICES_PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [
        {"notice": notice, "sentence": event_sentence(notice.event), "unread": notice.read_at is None}
        for notice in page.object_list
    ]
    mine.filter(read_at__isnull=True, pk__in=[row["notice"].pk for row in rows]).update(read_at=timezone.now())
    return render(request, "partners/notices.html", {"page": page, "rows": rows})
