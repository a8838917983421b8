"""The results of the vendor's request list (`/partners/vendor/`): the figures over every offer
made for its customers, aggregated in the database, and a page of requests with their routing,
for a page its staff reload all day. They show only the vendor's own data, so they are cached per
vendor (each vendor a scope of the fragment cache) and per filter, page, language and time zone.
A vendor's fragments are orphaned whenever one of its requests or offers is saved, and requests
and offers change only through saves (partners.requests, partners.offers); every fragment is
orphaned when a name it shows changes (partner, product, vendor, named account)."""

from community.fragment_cache import FragmentCache
from partners.models import CustomerRequest, Offer

vendor_request_results = FragmentCache("partners:vendor-requests", seconds=10 * 60)


def request_saved(sender, instance: CustomerRequest, **kwargs) -> None:
    vendor_request_results.scope_changed(instance.vendor_id)


def offer_saved(sender, instance: Offer, **kwargs) -> None:
    vendor_request_results.scope_changed(instance.request.vendor_id)
