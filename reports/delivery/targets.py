"""The `deliver:` targets of a job in the jobs file, and their validation: the one place that knows their keys.

A job's `deliver:` is a list; each item names one target by its key (`folder`, `email` or `webhook`) and may say
`audiences: [...]` (only those audiences' documents) and `restricted: true` (the target may receive audiences
that include restricted material; without it, it never does). `read_targets` checks every item and reports
each problem through the jobs file's reader, as `path:line: jobs[0].deliver[1].email.smtp: what is wrong`.

Credentials are never in the file: it names environment variables (`password_env: SMTP_PASSWORD`), read
only when a message is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_MAX_ATTACHMENT_MB = 10.0
DEFAULT_SUBJECT = "Briefings"
TARGET_KINDS = ("folder", "email", "webhook")
ITEM_KEYS = (*TARGET_KINDS, "audiences", "restricted")
EMAIL_KEYS = ("to", "from", "smtp", "starttls", "username_env", "password_env", "subject", "max_attachment_mb")
WEBHOOK_KEYS = ("url", "secret_env")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):(?P<port>[0-9]{1,5})$")

Report = Callable[[tuple, str], None]  # (where in the item, message): the jobs file's reader adds file, line and job


@dataclass(frozen=True)
class FolderTarget:
    path: Path  # documents go to `path/{dossier id}/{file name}`; the folder itself must exist

    def describe(self) -> str:
        return f"folder {self.path}"


@dataclass(frozen=True)
class EmailTarget:
    to: tuple[str, ...]
    sender: str
    host: str
    port: int
    starttls: bool
    username_env: str | None
    password_env: str | None
    subject: str
    max_attachment_mb: float

    def describe(self) -> str:
        return f"email {', '.join(self.to)} via {self.host}:{self.port}"


@dataclass(frozen=True)
class WebhookTarget:
    url: str
    secret_env: str

    def describe(self) -> str:
        """Without its query: a hook's URL often carries a token there, and this is printed and recorded."""
        parts = urlsplit(self.url)
        return f"webhook {parts.scheme}://{parts.netloc}{parts.path}"


@dataclass(frozen=True)
class Target:
    """One item of `deliver:`: where to, and which documents it may receive."""

    to: FolderTarget | EmailTarget | WebhookTarget
    audiences: tuple[str, ...] | None  # None: every audience of the job
    restricted: bool  # may receive audiences that include restricted material

    @property
    def key(self) -> str:
        """What the manifest records owed documents under: the target itself, so reordering the list loses nothing."""
        return self.to.describe()

    def accepts(self, audience: str, includes_restricted: bool) -> bool:
        if includes_restricted and not self.restricted:
            return False
        return self.audiences is None or audience in self.audiences


def read_targets(value: Any, base: Path, audiences: dict[str, bool], report: Report) -> tuple[Target, ...]:
    """The targets of one job's `deliver:`; `audiences` maps the job's audiences to whether each includes
    restricted material. Every problem goes to `report`; an item with a problem is left out."""
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        report((), "must be a list of targets, each `folder: PATH`, `email: {...}` or `webhook: {...}`")
        return ()
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        target = _ItemReader(index, base, audiences, report).target(item)
        if target is None:
            continue
        if target.key in seen:
            report((index,), f"is the same target as deliver[{seen[target.key]}]")
            continue
        seen[target.key] = index
        targets.append(target)
    return tuple(targets)


class _ItemReader:
    """Checks one item of `deliver:`."""

    def __init__(self, index: int, base: Path, audiences: dict[str, bool], report: Report) -> None:
        self.index, self.base, self.audiences, self.report = index, base, audiences, report
        self.failed = False

    def add(self, where: tuple, message: str) -> None:
        self.failed = True
        self.report((self.index, *where), message)

    def text(self, data: dict, key: str, within: tuple, required: bool = True) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.add((*within, key), "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.add((*within, key), "must be text")
            return None
        return value.strip()

    def env_name(self, data: dict, key: str, within: tuple, required: bool) -> str | None:
        name = self.text(data, key, within, required)
        if name is not None and not ENV_NAME.match(name):
            # never quoted: what is written here by mistake is often the password itself
            self.add((*within, key), "must be the name of an environment variable (letters, digits, _), not its value")
            return None
        return name

    def address(self, value: Any, where: tuple) -> str | None:
        if not isinstance(value, str) or not _is_address(value.strip()):
            self.add(where, f"{value!r} is not an email address")
            return None
        return value.strip()

    def target(self, item: Any) -> Target | None:
        if not isinstance(item, dict):
            self.add((), "must be a mapping: `folder: PATH`, `email: {...}` or `webhook: {...}`")
            return None
        for key in item:
            if key not in ITEM_KEYS:
                self.add((key,), f"unknown key; known keys: {', '.join(ITEM_KEYS)}")
        kinds = [kind for kind in TARGET_KINDS if kind in item]
        if len(kinds) != 1:
            found = f", not {' and '.join(kinds)}" if kinds else ""
            self.add((), f"must name exactly one target: `folder`, `email` or `webhook`{found}")
            return None
        restricted = item.get("restricted", False)
        if not isinstance(restricted, bool):
            self.add(("restricted",), "must be true or false")
        audiences = self.audience_names(item, restricted is True)
        reader = {"folder": self.folder, "email": self.email, "webhook": self.webhook}[kinds[0]]
        to = reader(item[kinds[0]])
        if to is None or self.failed:
            return None
        return Target(to, audiences, restricted is True)

    def audience_names(self, item: dict, restricted: bool) -> tuple[str, ...] | None:
        value = item.get("audiences")
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            self.add(("audiences",), "must be a list of the job's audiences")
            return None
        names = []
        for position, name in enumerate(value):
            if not isinstance(name, str) or name not in self.audiences:
                known = ", ".join(sorted(self.audiences))
                self.add(("audiences", position), f"{name!r} is not one of the job's audiences ({known})")
            elif self.audiences[name] and not restricted:
                self.add(
                    ("audiences", position),
                    f"'{name}' includes restricted material, which this target never receives: "
                    "add `restricted: true` to the target, or leave the audience out",
                )
            else:
                names.append(name)
        return tuple(dict.fromkeys(names))

    def folder(self, value: Any) -> FolderTarget | None:
        if not isinstance(value, str) or not value.strip():
            self.add(("folder",), "must be the path of a folder")
            return None
        path = Path(value.strip()).expanduser()
        # absolute and without `..`: the target's name in the manifest must not depend on where the run started
        return FolderTarget((path if path.is_absolute() else self.base / path).resolve())

    def email(self, value: Any) -> EmailTarget | None:
        within = ("email",)
        if not isinstance(value, dict):
            self.add(within, "must be a mapping: {to: [...], from: ADDRESS, smtp: HOST:PORT, starttls: true, ...}")
            return None
        for key in value:
            if key not in EMAIL_KEYS:
                self.add((*within, key), f"unknown key; known keys: {', '.join(EMAIL_KEYS)}")
        recipients = value.get("to")
        if isinstance(recipients, str):
            recipients = [recipients]
        to: list[str] = []
        if not isinstance(recipients, list) or not recipients:
            self.add((*within, "to"), "must be a list of one or more email addresses")
        else:
            to = [a for position, item in enumerate(recipients) if (a := self.address(item, (*within, "to", position)))]
        sender = self.address(value.get("from"), (*within, "from")) if "from" in value else None
        if "from" not in value:
            self.add((*within, "from"), "is required: the sender's address")
        smtp = self.text(value, "smtp", within)
        host, port = None, None
        if smtp is not None:
            match = HOST_PORT.match(smtp)
            if match is None or not 1 <= int(match["port"]) <= 65535:
                self.add((*within, "smtp"), f"'{smtp}' must be HOST:PORT, e.g. mail.example.org:587")
            else:
                host, port = match["host"].strip("[]"), int(match["port"])
        starttls = value.get("starttls", True)
        if not isinstance(starttls, bool):
            self.add((*within, "starttls"), "must be true or false")
        username = self.env_name(value, "username_env", within, required=False)
        password = self.env_name(value, "password_env", within, required=False)
        for present, absent in (("username_env", "password_env"), ("password_env", "username_env")):
            if present in value and absent not in value:
                self.add((*within, absent), f"is required with `{present}`: the SMTP login needs both")
        if username is not None and starttls is False:
            message = "must be true when the server is logged in to: the password would cross the network in clear text"
            self.add((*within, "starttls"), message)
        subject = self.text(value, "subject", within, required=False) or DEFAULT_SUBJECT
        limit = value.get("max_attachment_mb", DEFAULT_MAX_ATTACHMENT_MB)
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit > 0:
            self.add((*within, "max_attachment_mb"), f"must be a number of megabytes above 0, not {limit!r}")
        if self.failed or sender is None or host is None or port is None:
            return None
        return EmailTarget(tuple(to), sender, host, port, starttls is True, username, password, subject, float(limit))

    def webhook(self, value: Any) -> WebhookTarget | None:
        within = ("webhook",)
        if not isinstance(value, dict):
            self.add(within, "must be a mapping: {url: URL, secret_env: VARIABLE}")
            return None
        for key in value:
            if key not in WEBHOOK_KEYS:
                self.add((*within, key), f"unknown key; known keys: {', '.join(WEBHOOK_KEYS)}")
        url = self.text(value, "url", within)
        if url is not None:
            parts = urlsplit(url)
            if parts.username is not None or parts.password is not None:  # not quoted: it holds a password
                self.add((*within, "url"), "must not hold a user or password: the body is signed with `secret_env`")
            elif parts.scheme not in ("http", "https") or not parts.hostname:
                self.add((*within, "url"), f"'{url}' must be an http:// or https:// address")
        secret = self.env_name(value, "secret_env", within, required=True)
        if self.failed or url is None or secret is None:
            return None
        return WebhookTarget(url, secret)


def _is_address(text: str) -> bool:
    name, address = parseaddr(text)
    local, at, domain = address.partition("@")
    return bool(at and local and domain and "@" not in domain and " " not in address)
