"""Standard Webhooks signatures, made by the `standardwebhooks` library itself so receivers can
verify with it (or any implementation of the specification): `webhook-id`, `webhook-timestamp`
(the attempt's, in seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`)."""

import base64
import secrets
from datetime import datetime

from standardwebhooks import Webhook

SECRET_BYTES = 24


def secret_new() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signed_headers(*, secret: str, message_id: str, at: datetime, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }
