"""Recording a marketplace transition: one audit event, an in-site notice for each person it
concerns and, once the transaction commits, an e-mail to each of them in their own language and
the vendor's webhooks (`partners.webhook_events`)."""

from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from community.models import Membership, User
from partners.models import LeadResponder, MarketplaceEvent, MarketplaceNotification
from partners.webhook_events import marketplace_event_publish

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
    _notify([(event, notify, url)])
    marketplace_event_publish(event)
    return event


def events_record(kind: str, *, events: list[tuple[dict, list[User], str]]) -> list[MarketplaceEvent]:
    """Several events of one kind at once, as routing makes offers: for each, its fields, the
    people to notify and the link, as `event_record` takes them (no customer e-mail). Two
    queries however many."""
    made = MarketplaceEvent.objects.bulk_create([MarketplaceEvent(kind=kind, **fields) for fields, _, _ in events])
    _notify([(event, notify, url) for event, (_, notify, url) in zip(made, events, strict=True)])
    for event in made:
        marketplace_event_publish(event)
    return made


def _notify(events: list[tuple[MarketplaceEvent, list[User], str]]) -> None:
    """In-site notices for every event's people in one query, then an e-mail task per event."""
    from partners import tasks

    notices = []
    for event, notify, url in events:
        recipients = {user.pk: user for user in notify if user is not None and user.is_active}
        if not recipients:
            continue
        notices += [MarketplaceNotification(user=user, event=event, url=url) for user in recipients.values()]
        user_ids = list(recipients)
        transaction.on_commit(
            lambda event_id=event.pk, user_ids=user_ids, url=url: tasks.notice_email_send.delay(
                event_id=event_id, user_ids=user_ids, url=url
            )
        )
    if notices:
        MarketplaceNotification.objects.bulk_create(notices, ignore_conflicts=True)


def lead_answerers(organisation_id: int) -> list[User]:
    """Who may answer the partner's offers: its current admins and the engineers they allowed."""
    return lead_answerers_of([organisation_id])[organisation_id]


def lead_answerers_of(organisation_ids: list[int]) -> dict[int, list[User]]:
    """`lead_answerers` of several partners in one query, by partner."""
    allowed = LeadResponder.objects.filter(organisation_id=OuterRef("organisation_id"), user_id=OuterRef("user_id"))
    answering = (
        Membership.objects.current()
        .filter(organisation_id__in=organisation_ids)
        .filter(Q(role=Membership.Role.ADMIN) | Exists(allowed))
        .select_related("user")
        .order_by("user_id")
    )
    by_partner: dict[int, dict[int, User]] = {pk: {} for pk in organisation_ids}
    for membership in answering:
        by_partner[membership.organisation_id][membership.user_id] = membership.user
    return {pk: list(users.values()) for pk, users in by_partner.items()}
