"""Signal receivers: wiring only; each calls the service that owns the rule."""

from community import services


def vendor_saved(sender, instance, **kwargs):
    if instance.staff_group_id is None or instance.manager_group_id is None:
        services.vendor_ensure_groups(vendor=instance)
