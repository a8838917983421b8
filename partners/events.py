"""Recording a marketplace transition: one audit event, an in-site notice for each person it
concerns and, once the transaction commits, an e-mail to each of them in their own language."""

from django.db import transaction
from django.db.models import Q

from community.models import Membership, User
from partners.models import LeadResponder, MarketplaceEvent, MarketplaceNotification

Kind = MarketplaceEvent.Kind


def event_record(
    kind: str, *, notify: list[User] = (), url: str = "", customer: bool = False, **fields
) -> MarketplaceEvent:
    """Write the event; notify `notify` in-site and by e-mail (templates/partners/email/<kind>,
    linking to `url`) and, with `customer`, e-mail the request's or engagement's customer contact
    (templates/partners/email/customer_<kind>), who has no account."""
    event = MarketplaceEvent.objects.create(kind=kind, **fields)
    from partners import tasks

    if customer:
        transaction.on_commit(lambda: tasks.customer_email_send.delay(event_id=event.pk))
    recipients = {user.pk: user for user in notify if user is not None and user.is_active}
    if recipients:
        MarketplaceNotification.objects.bulk_create(
            [MarketplaceNotification(user=user, event=event, url=url) for user in recipients.values()],
            ignore_conflicts=True,
        )
        user_ids = list(recipients)
        transaction.on_commit(lambda: tasks.notice_email_send.delay(event_id=event.pk, user_ids=user_ids, url=url))
    return event


def lead_answerers(organisation_id: int) -> list[User]:
    """Who may answer the partner's offers: its current admins and the engineers they allowed."""
    allowed = LeadResponder.objects.filter(organisation_id=organisation_id).values("user_id")
    answering = (
        Membership.objects.current()
        .filter(organisation_id=organisation_id)
        .filter(Q(role=Membership.Role.ADMIN) | Q(user_id__in=allowed))
    )
    return list(User.objects.filter(pk__in=answering.values("user_id")))
