"""Avatars in the Wagtail admin without Gravatar: the admin asks Gravatar for every person it
shows, which fails wherever gravatar.com cannot be reached (and tells it who looks at whom). A
person's uploaded avatar is shown when they have one, their initials otherwise, drawn as an
inline SVG so that no request leaves the page."""

from urllib.parse import quote

from django.utils.html import escape

# Colours from the site's palette, picked by name so a person keeps theirs.
COLOURS = ["#1e3a8a", "#0f766e", "#7c3aed", "#b45309", "#be123c", "#0369a1"]


def initials(name: str) -> str:
    """Up to two letters: the first of the first and last words ("Anna Schmidt" → "AS"); a name
    without spaces such as 王伟 gives its first character, an e-mail address its first letter."""
    words = name.split("@")[0].split()
    if not words:
        return "?"
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def initials_avatar_url(*, name: str, size: int) -> str:
    """A data: URL of a round SVG with the name's initials, `size` pixels across."""
    colour = COLOURS[sum(map(ord, name)) % len(COLOURS)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100">'
        f'<circle cx="50" cy="50" r="50" fill="{colour}"/>'
        '<text x="50" y="50" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="system-ui, sans-serif" font-size="40" font-weight="700">'
        f"{escape(initials(name))}</text></svg>"
    )
    return "data:image/svg+xml," + quote(svg)


def admin_avatar_url(user, size: int) -> str | None:
    """For Wagtail's `get_avatar_url` hook: None (Wagtail then shows the upload) when the person
    uploaded an avatar, else their initials."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return initials_avatar_url(name=user.get_full_name(), size=size)
