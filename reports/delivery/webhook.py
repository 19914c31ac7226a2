"""A webhook target: one signed JSON POST per job and dossier, naming each new document and its sha256.

The body is `{"job", "dossier", "documents": [{"path", "sha256", "audience", "lang", "format"}]}` (UTF-8,
keys in that order) and the header `X-Reports-Signature: sha256=<hex HMAC-SHA256 of the body>`, keyed with the
secret in the environment variable the job names: the receiver recomputes it over the bytes it received and
rejects a body it does not match. `path` is where `reports run` wrote the file (absolute). Any answer but 2xx,
a redirect included, is a failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import urllib.error
import urllib.request

from reports.delivery.parcel import DeliveryError, Parcel
from reports.delivery.targets import WebhookTarget

SIGNATURE_HEADER = "X-Reports-Signature"
TIMEOUT_SECONDS = 60


def webhook_body(parcel: Parcel) -> bytes:
    documents = [
        {
            "path": str(item.path.resolve()),
            "sha256": hashlib.sha256(item.path.read_bytes()).hexdigest(),
            "audience": item.audience,
            "lang": item.lang,
            "format": item.format,
        }
        for item in parcel.items
    ]
    body = {"job": parcel.job, "dossier": parcel.dossier_id, "documents": documents}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The header's value: `sha256=` and the hex HMAC-SHA256 of the body."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a POST redirected would arrive as a GET without its body
        return None


def post_webhook(target: WebhookTarget, parcel: Parcel) -> None:
    secret = os.environ.get(target.secret_env)
    if not secret:
        raise DeliveryError(f"environment variable {target.secret_env} not set")
    try:
        body = webhook_body(parcel)
    except OSError as error:
        raise DeliveryError(f"{error.filename}: read: {error.strerror or error}") from None
    request = urllib.request.Request(
        target.url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", SIGNATURE_HEADER: signature(secret, body)},
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"answered {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = error.reason if isinstance(error, urllib.error.URLError) else error
        raise DeliveryError(f"cannot be reached ({reason})") from None
