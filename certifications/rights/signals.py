"""Events of the rights engine that packages above it subscribe to. Sent by its services inside
their transaction; receivers call their own services, so what they write commits or rolls back
with the right."""

from django.dispatch import Signal

# Sent after a right's row is written (a transition or a new count): kwargs `right` (as stored
# now), `from_status` (None when the status did not change, "" for a new right) and `now`.
right_changed = Signal()
