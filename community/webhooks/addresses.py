"""The guard against server-side request forgery: an endpoint's host must resolve to public
addresses only. Checked when the endpoint is saved and again before every attempt (DNS answers
change), and the attempt connects to the address that was checked, so a second look-up cannot
swap in another. `WEBHOOKS_ALLOW_PRIVATE_ADDRESSES` lifts it (and allows http://) for receivers
on the same machine or network, as in tests."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _


class UnsafeAddress(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    address: str  # the checked IP address to connect to
    path: str  # with the query string


def address_refused(address: str) -> bool:
    """Whether `address` is anywhere but the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def target_resolve(url: str) -> Target:
    """Where to send `url`'s requests, or UnsafeAddress saying why not."""
    allow_private = settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeAddress(_("The URL must start with https://."))
    if not parts.hostname:
        raise UnsafeAddress(_("The URL has no host."))
    if parts.username or parts.password:
        raise UnsafeAddress(_("The URL may not carry a user name or password."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeAddress(_("The URL's port is not a number.")) from error
    try:
        answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeAddress(_("The URL's host could not be found.")) from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise UnsafeAddress(_("The URL's host could not be found."))
    if not allow_private and any(address_refused(address) for address in addresses):
        raise UnsafeAddress(
            _("The URL's host is a private, local or reserved address; webhooks go to public addresses only.")
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=parts.scheme, host=parts.hostname, port=port, address=addresses[0], path=path)
