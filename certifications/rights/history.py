"""Reads of delivery rights in the past, from their audit events rather than today's rows: who
held a right on a given day (the API's `as_of`, the programme's "authorised on a date" page) and
each partner's history as a timeline (its public page).

A right's state at the end of a day is its last event at or before that moment (the end of the
day in the current time zone): `active` and `grace` hold, `lapsed` does not. A grace counts until
its lapse is recorded (the nightly re-check, within a day of its end), as on today's list. The
certificates that counted are those the event names: events are written when a right changes
state, so they are the certificates counted at that change. Rule changes never rewrite the past.
Each read runs a fixed number of queries whatever the number of rights or events."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.models import Certificate, DeliveryRightEvent, OrganisationDeliveryRight, RightStatus
from certifications.models.rights import HOLDING
from community.models import Product

# The newest entries a partner's public timeline shows.
TIMELINE_ENTRIES = 100


def day_end(day: date) -> datetime:
    """The first moment after `day` in the current time zone (the reader's when signed in, else
    the site's): events before it happened on or before `day`."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def rights_history_starts() -> date | None:
    """The day of the first recorded right event (in the site's time zone), or None when there is
    none: no right can be answered for before it."""
    first = DeliveryRightEvent.objects.order_by("at").values_list("at", flat=True).first()
    return timezone.localdate(first) if first else None


def rights_held_on(
    *, day: date, rights: QuerySet[OrganisationDeliveryRight] | None = None, certificates: bool = False
) -> QuerySet[DeliveryRightEvent]:
    """The rights among `rights` (every right when None) held at the end of `day`, each as the
    event that gave its state then: `to_status` (active or grace), `grace_ends_at`,
    `certified_engineers`, `right` with its organisation and product (and vendor) selected, and
    `since` annotated (when the stretch of holding that includes `day` began). With
    `certificates`, each event's counted certificates are prefetched as `counted` (serial, name
    as printed, certification as printed), one more query. Ordered by organisation name, product
    name and right; one query (two with certificates), whatever the number of events."""
    end = day_end(day)
    rights = OrganisationDeliveryRight.objects.all() if rights is None else rights
    last = DeliveryRightEvent.objects.filter(right=OuterRef("pk"), at__lt=end).order_by("-at", "-pk").values("pk")[:1]
    # A stretch of holding starts when the right becomes active from nothing or from lapsed; a
    # grace that ends in renewal continues it.
    started = (
        DeliveryRightEvent.objects.filter(right=OuterRef("right"), at__lt=end, to_status=RightStatus.ACTIVE)
        .exclude(from_status=RightStatus.GRACE)
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    events = (
        DeliveryRightEvent.objects.filter(
            pk__in=rights.annotate(state_event=Subquery(last)).values("state_event"), to_status__in=HOLDING
        )
        .annotate(since=Subquery(started))
        .select_related("right__organisation", "right__product__vendor")
        .order_by("right__organisation__name", "right__product__name", "right_id")
    )
    if certificates:
        counted = Certificate.objects.only("pk", "serial", "holder_name", "certification_title").order_by(
            "holder_name", "serial"
        )
        events = events.prefetch_related(Prefetch("certificates", queryset=counted, to_attr="counted"))
    return events


def product_rights_held_on(*, day: date, product: Product, region: str = "") -> QuerySet[DeliveryRightEvent]:
    """The partners (in `region`, or anywhere) holding `product`'s right at the end of `day`, with
    the certificates that counted (`rights_held_on` with `certificates`): the programme's
    "authorised on a date" page. Two queries."""
    rights = OrganisationDeliveryRight.objects.filter(product=product)
    if region:
        rights = rights.filter(organisation__region=region)
    return rights_held_on(day=day, rights=rights, certificates=True)


# --- A partner's timeline -------------------------------------------------------------------------

# What each transition means to a reader of the partner's page.
KINDS = {
    ("", RightStatus.ACTIVE): ("authorised", _("Authorised")),
    (RightStatus.LAPSED, RightStatus.ACTIVE): ("authorised", _("Authorised again")),
    (RightStatus.GRACE, RightStatus.ACTIVE): ("renewed", _("Renewed")),
    (RightStatus.ACTIVE, RightStatus.GRACE): ("grace", _("Renewal pending")),
    (RightStatus.ACTIVE, RightStatus.LAPSED): ("lapsed", _("Lapsed")),
    (RightStatus.GRACE, RightStatus.LAPSED): ("lapsed", _("Lapsed")),
}


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # authorised, renewed, grace, lapsed: how the page marks it
    label: str  # lazily translated
    cause: str
    certified_engineers: int
    required_engineers: int
    grace_ends_at: datetime | None


@dataclass
class ProductTimeline:
    product: Product
    status: str  # the right's state now
    entries: list[TimelineEntry] = field(default_factory=list)  # newest first


def organisation_rights_history(*, organisation_id: int, limit: int = TIMELINE_ENTRIES) -> list[ProductTimeline]:
    """Every right the organisation has held, with its transitions newest first (the newest
    `limit` across products): when it was authorised, entered grace, lapsed or was renewed, why
    (the event's cause) and how many engineers counted of how many needed. Counts only, no people.
    Products by vendor and name; one query."""
    events = (
        DeliveryRightEvent.objects.filter(right__organisation_id=organisation_id)
        .select_related("right__product__vendor")
        .order_by("-at", "-pk")[:limit]
    )
    timelines: dict[int, ProductTimeline] = {}
    for event in events:
        product = event.right.product
        timeline = timelines.setdefault(product.pk, ProductTimeline(product=product, status=event.right.status))
        kind, label = KINDS.get((event.from_status, event.to_status), (event.to_status, event.get_to_status_display()))
        timeline.entries.append(
            TimelineEntry(
                at=event.at,
                kind=kind,
                label=label,
                cause=event.get_cause_display(),
                certified_engineers=event.certified_engineers,
                required_engineers=event.required_engineers,
                grace_ends_at=event.grace_ends_at,
            )
        )
    return sorted(timelines.values(), key=lambda t: (t.product.vendor.name, t.product.name, t.product.pk))
