"""Signal receivers: wiring only; each calls the service that owns the rule."""

from django.db import transaction

from community import services, sites


def vendor_saved(sender, instance, **kwargs):
    if instance.staff_group_id is None or instance.manager_group_id is None:
        services.vendor_ensure_groups(vendor=instance)


def sites_changed(sender, **kwargs):
    # After the commit: a request between the signal and the commit would cache the old row.
    transaction.on_commit(sites.sites_changed)
