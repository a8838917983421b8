"""Signal receivers: wiring only. The rights engine announces each right it writes; the right's
credential follows it (`certifications.verification.right_credentials`)."""

from certifications.verification.right_credentials import right_credential_sync


def right_changed(sender, right, now, **kwargs):
    right_credential_sync(right=right, now=now)
