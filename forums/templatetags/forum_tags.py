from django import template

from forums import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """How many forum notifications the viewer has not read (one COUNT; 0 for anonymous)."""
    request = context.get("request")
    return selectors.notifications_unread_count(user=request.user) if request is not None else 0


@register.simple_tag
def moderation_waiting_count() -> int:
    """Posts waiting for approval plus posts with open flags (moderators' navigation only)."""
    return selectors.moderation_waiting_count()
