"""A real webhook receiver on loopback (http.server in a thread, an ephemeral port) that verifies
every request with the `standardwebhooks` library, as a vendor's system would, and answers with
the status codes it is given in turn (200 once they run out). It may hold requests until told to
answer, and records a delivery as acknowledged only when the sender was still there to read the
answer, so a sender killed mid-request is not counted as having been answered."""

import json
import select
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    status: int
    verified: bool
    payload: dict | None
    acknowledged: bool = False


@dataclass
class Receiver:
    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    hold: bool = False
    received: list[Received] = field(default_factory=list)

    def __post_init__(self):
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver._handle(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", 0)))
        headers = {name.lower(): value for name, value in handler.headers.items()}
        try:
            payload = Webhook(self.secret).verify(body, headers)
            verified = True
        except WebhookVerificationError:
            payload, verified = None, False
        with self.lock:
            status = self.statuses.pop(0) if self.statuses else 200
            record = Received(headers.get("webhook-id", ""), status, verified, payload)
            self.received.append(record)
        self.arrived.set()
        if self.hold:
            self.release.wait(timeout=120)
            if _peer_gone(handler):
                return
        handler.send_response(status if verified else 400)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        handler.wfile.write(json.dumps({"ok": verified}).encode())
        handler.wfile.flush()
        record.acknowledged = verified and 200 <= status < 300

    def acknowledged(self, webhook_id: str) -> int:
        return sum(1 for record in self.received if record.webhook_id == webhook_id and record.acknowledged)


def _peer_gone(handler: BaseHTTPRequestHandler) -> bool:
    """Whether the sender closed its end: the request was read whole, so readable means EOF."""
    connection = handler.connection
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
