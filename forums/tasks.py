"""Forum e-mail: a message per notification for people who want them at once, and a daily digest
for the rest. Idempotent: a notification is e-mailed at most once (emailed_at), so retries and
overlapping runs send nothing twice. Every message carries a one-click unsubscribe link."""

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.emails import templated_email
from community.models import User
from forums.models import EmailPreference, Notification

UNSUBSCRIBE_SALT = "forums.unsubscribe"


def unsubscribe_token(user: User) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_from_unsubscribe_token(token: str) -> User | None:
    try:
        user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=user_id).first()


def _send(user: User, notifications: list[Notification], *, digest: bool) -> None:
    token = unsubscribe_token(user)
    unsubscribe_url = settings.SITE_URL + reverse("forums:unsubscribe", kwargs={"token": token})
    one_click_url = settings.SITE_URL + reverse("forums:unsubscribe_one_click", kwargs={"token": token})
    context = {
        "user": user,
        "notifications": notifications,
        "digest": digest,
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url,
        "settings_url": settings.SITE_URL + reverse("forums:settings"),
    }
    headers = {"List-Unsubscribe": f"<{one_click_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    templated_email(
        "forums/email/notification", context, to=user.email, language=user.preferred_language, headers=headers
    ).send()


def _claim(queryset) -> list[Notification]:
    """Mark unsent notifications as sent and return them (rows locked, so two workers never both
    send one)."""
    with transaction.atomic():
        locked = queryset.select_for_update(of=("self",)).filter(emailed_at__isnull=True)
        claimed = list(locked.select_related("actor", "topic", "post"))
        Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=timezone.now())
    return claimed


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notifications_email(self, *, notification_ids: list[int]) -> int:
    """E-mail each notification to people whose forum e-mail is "immediate" (the default)."""
    sent = 0
    wanting_digest_or_none = EmailPreference.objects.exclude(mode=EmailPreference.Mode.IMMEDIATE).values("user_id")
    pending = Notification.objects.filter(pk__in=notification_ids).exclude(user_id__in=wanting_digest_or_none)
    for notification in _claim(pending):
        user = User.objects.filter(pk=notification.user_id, is_active=True).first()
        if user is not None:
            _send(user, [notification], digest=False)
            sent += 1
    return sent


@shared_task
def notifications_send_digests() -> int:
    """Daily (Celery beat): one e-mail per "daily digest" person with what they have not been
    e-mailed about yet."""
    sent = 0
    daily = EmailPreference.objects.filter(mode=EmailPreference.Mode.DAILY).values("user_id")
    user_ids = set(
        Notification.objects.filter(user_id__in=daily, emailed_at__isnull=True).values_list("user_id", flat=True)
    )
    for user in User.objects.filter(pk__in=user_ids, is_active=True):
        notifications = _claim(Notification.objects.filter(user=user).order_by("created_at"))
        if notifications:
            _send(user, notifications, digest=True)
            sent += 1
    return sent
