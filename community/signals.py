"""Events other apps subscribe to. Sent by services; receivers call their own services."""

from django.dispatch import Signal

# Sent after a membership starts, ends or changes role: kwargs `membership`, `change`
# ("joined", "left", "role_changed"). Delivery rights are recomputed on it.
membership_changed = Signal()
