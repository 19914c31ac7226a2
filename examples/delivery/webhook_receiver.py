"""A webhook receiver for `reports run`'s `deliver:` (docs/scheduling.md, "Delivering the documents"): it checks
each POST's X-Reports-Signature against the HMAC-SHA256 of the body under the shared secret, answers 204 and prints
the documents, or answers 401 to a body it cannot verify. A starting point for a real receiver; standard library only.

    HOOK_SECRET=change-me python examples/delivery/webhook_receiver.py --port 8787
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verified(secret: bytes, body: bytes, header: str) -> bool:
    """Compare in constant time: the header is `sha256=` and the hex digest."""
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header.encode(), expected.encode())


class Receiver(BaseHTTPRequestHandler):
    secret = b""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verified(self.secret, body, self.headers.get("X-Reports-Signature", "")):
            self.send_response(401)
            self.end_headers()
            print("refused: the signature does not match the body", flush=True)
            return
        parcel = json.loads(body)
        self.send_response(204)
        self.end_headers()
        for document in parcel["documents"]:
            print(f"{parcel['job']} {parcel['dossier']}: {document['path']} sha256={document['sha256']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    arguments = parser.parse_args()
    Receiver.secret = os.environ["HOOK_SECRET"].encode()
    server = ThreadingHTTPServer((arguments.host, arguments.port), Receiver)
    print(f"listening on http://{arguments.host}:{server.server_address[1]}/", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
