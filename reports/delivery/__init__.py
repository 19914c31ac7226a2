"""Delivery: the documents a run of `reports run` built, sent on to where their readers are.

A job's `deliver:` targets (`targets.py`, with their validation) each receive, per job and dossier, one parcel: the
documents this run rebuilt with new bytes, plus those an earlier failed delivery still owes the target. The run
decides what is owed and records it in its manifest (`reports/scheduler/dispatch.py`); this stage only sends:

- a folder (`folder.py`): every file copied atomically to `PATH/{dossier id}/`, all or none;
- email (`mail.py`): one message over SMTP with STARTTLS, the documents attached, those over the size limit named;
- a webhook (`webhook.py`): one JSON POST naming each document and its sha256, signed with HMAC-SHA256.

It reads the files `reports run` has written (the pipeline's last stage, after the files): nothing it does can
change or undo a build. A failure is a `DeliveryError` whose message is one line and never holds a secret.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reports.delivery.folder import copy_to_folder
from reports.delivery.mail import send_email
from reports.delivery.parcel import DeliveryError, Item, Parcel
from reports.delivery.targets import EmailTarget, FolderTarget, Target, WebhookTarget
from reports.delivery.webhook import post_webhook

__all__ = ["DeliveryError", "Item", "Parcel", "Target", "deliver"]
SENDERS: dict[type, Callable[[Any, Parcel], None]] = {
    FolderTarget: copy_to_folder,
    EmailTarget: send_email,
    WebhookTarget: post_webhook,
}


def deliver(target: Target, parcel: Parcel) -> None:
    """Send the parcel to the target, or raise DeliveryError."""
    SENDERS[type(target.to)](target.to, parcel)
