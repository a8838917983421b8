"""Events about certificates for the apps that certifications cannot call (forums). Sent by the
certificate services after their transaction commits, next to their own explicit calls (delivery
rights); receivers call their own services."""

from django.dispatch import Signal

# kwargs `certificate` and `change`: "issued", "expired", "revoked" or "renewed" (sent for the new
# certificate that renews an older one).
certificate_changed = Signal()
