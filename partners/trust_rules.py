"""The thresholds the trust profile and routing share: a satisfaction score counts (is shown,
weights routing) only from `SCORE_MIN_RESPONSES` answers within the last `SCORE_WINDOW_DAYS`."""

SCORE_MIN_RESPONSES = 5
SCORE_WINDOW_DAYS = 365
# Routing counts a partner's offers over this many days for its round-robin turn.
ROUTING_WINDOW_DAYS = 90
