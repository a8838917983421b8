"""Events about certificates that other parts subscribe to. Sent by the certificate services after
their transaction commits; receivers call their own services."""

from django.dispatch import Signal

# kwargs `certificate` and `change`: "issued", "expired", "revoked" or "renewed" (sent for the new
# certificate that renews an older one). Delivery rights are recomputed on it.
certificate_changed = Signal()
