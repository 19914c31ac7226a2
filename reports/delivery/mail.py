"""An email target: one message per job and dossier, over SMTP with STARTTLS, the documents attached.

The message is what a desk reads in its mail client: a subject naming the dossier, a short plain-text body listing
every document (audience, language, format, size), and the documents as attachments. A document larger than
`max_attachment_mb` (megabytes of 1,000,000 bytes) is not attached but named in the body with its path, so one
large report never stops the others from arriving.

The login's credentials come from the environment variables the job names, read here and nowhere else; the
password is removed from every error this module raises (some servers quote what they were sent).
"""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from reports.delivery.parcel import DeliveryError, Item, Parcel
from reports.delivery.targets import EmailTarget
from reports.progress import counted

MEGABYTE = 1_000_000
TIMEOUT_SECONDS = 60  # per SMTP command: a server that stops answering fails the delivery instead of the run
MEDIA_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "html": ("text", "html"),
}


def send_email(target: EmailTarget, parcel: Parcel) -> None:
    """One message to every recipient, or DeliveryError (one line, no password in it)."""
    username, password = _credentials(target)
    secrets = _secret_forms(username, password)
    try:
        message = build_message(target, parcel)
        with smtplib.SMTP(target.host, target.port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.ehlo()
            if target.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if username is not None and password is not None:
                smtp.login(username, password)
            refused = smtp.send_message(message, from_addr=target.sender, to_addrs=list(target.to))
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(_redact(f"every recipient refused: {_refusals(error.recipients)}", secrets)) from None
    except smtplib.SMTPResponseException as error:
        reply = error.smtp_error.decode("utf-8", "replace") if isinstance(error.smtp_error, bytes) else str(error.smtp_error)
        raise DeliveryError(_redact(f"refused by the server: {error.smtp_code} {reply}", secrets)) from None
    except smtplib.SMTPNotSupportedError as error:  # "STARTTLS extension not supported by server."
        raise DeliveryError(_redact(str(error), secrets)) from None
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryError(_redact(f"{type(error).__name__}: {error}", secrets)) from None
    if refused:
        raise DeliveryError(_redact(f"sent, but these recipients were refused: {_refusals(refused)}", secrets))


def build_message(target: EmailTarget, parcel: Parcel) -> EmailMessage:
    """The message as a mail client shows it: subject, a plain-text list of the documents, the attachments."""
    limit = target.max_attachment_mb * MEGABYTE
    attached: list[tuple[Item, int]] = []
    named: list[tuple[Item, int]] = []
    for item in parcel.items:
        size = item.path.stat().st_size
        (attached if size <= limit else named).append((item, size))
    message = EmailMessage()
    message["Subject"] = " ".join(f"{target.subject}: {parcel.dossier_title}".split())  # a header is one line
    message["From"] = target.sender
    message["To"] = ", ".join(target.to)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=target.sender.rpartition("@")[2].rstrip(">") or None)
    count = len(parcel.items)
    lines = [
        f"{parcel.dossier_title} ({parcel.dossier_id}): {counted(count, 'new briefing')} built by the job '{parcel.job}'.",
        "",
    ]
    if attached:
        lines += ["Attached:", *(f"  {_describe(item, size)}" for item, size in attached), ""]
    if named:
        lines += [
            f"Not attached (over {target.max_attachment_mb:g} MB each; at these paths on the machine that built them):",
            *(f"  {_describe(item, size)}\n    {item.path.resolve()}" for item, size in named),
            "",
        ]
    lines.append("Sent by reports run.")
    message.set_content("\n".join(lines))
    for item, _ in attached:
        maintype, subtype = MEDIA_TYPES.get(item.format, ("application", "octet-stream"))
        params = {"charset": "utf-8"} if maintype == "text" else {}  # else a client reads the HTML as ASCII
        message.add_attachment(item.path.read_bytes(), maintype=maintype, subtype=subtype, filename=item.path.name, params=params)
    return message


def _describe(item: Item, size: int) -> str:
    return f"{item.path.name}  ({item.audience}, {item.lang}, {item.format.upper()}, {_size(size)})"


def _size(size: int) -> str:
    return f"{size / MEGABYTE:.1f} MB" if size >= 100_000 else f"{max(1, round(size / 1000))} kB"


def _credentials(target: EmailTarget) -> tuple[str | None, str | None]:
    if target.username_env is None or target.password_env is None:
        return None, None
    missing = [name for name in (target.username_env, target.password_env) if not os.environ.get(name)]
    if missing:
        raise DeliveryError(f"environment variable{'s' if len(missing) > 1 else ''} {', '.join(missing)} not set")
    return os.environ[target.username_env], os.environ[target.password_env]


def _secret_forms(username: str | None, password: str | None) -> list[str]:
    """The password as it may come back in a server's reply: plain, and as AUTH PLAIN and AUTH LOGIN sent it."""
    if not password:
        return []
    plain = base64.b64encode(f"\0{username or ''}\0{password}".encode()).decode()
    return [password, plain, base64.b64encode(password.encode()).decode()]


def _redact(text: str, secrets: list[str]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return " ".join(text.split())  # one line, whatever the server replied


def _refusals(recipients: dict) -> str:
    return "; ".join(
        f"{address} ({code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply})"
        for address, (code, reply) in recipients.items()
    )
