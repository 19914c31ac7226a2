"""Real servers on 127.0.0.1 for the delivery tests: an SMTP server (aiosmtpd) with STARTTLS and a login, and a
webhook receiver (http.server) that checks the signature the way a real receiver would."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost and its key, as PEM files: the client trusts it through
    SSL_CERT_FILE, so the connection is verified as with any public server."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    """One message as the server received it, and how the session went."""

    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    tls: bool
    login: str | None

    @property
    def message(self) -> EmailMessage:
        return BytesParser(policy=policy.default).parsebytes(self.content)  # type: ignore[return-value]


@dataclass
class MailHandler:
    """Keeps every message; `reject` (e.g. "552 5.3.4 Message size exceeds fixed maximum message size") refuses
    them instead. `{password}` in it is replaced by the password the client logged in with: a server that quotes
    what it was sent."""

    reject: str | None = None
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.reject is not None:
            password = session.auth_data.password.decode() if session.auth_data else ""
            return self.reject.replace("{password}", password)
        login = session.auth_data.login.decode() if session.auth_data else None
        self.messages.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content, session.ssl is not None, login)
        )
        return "250 2.0.0 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 with STARTTLS required before the login, and one accepted user."""

    def __init__(self, folder: Path, username: str, password: str, handler: MailHandler) -> None:
        cert_file, key_file = self_signed_certificate(folder)
        self.cert_file = cert_file
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert_file, key_file)
        self.handler = handler
        self.port = free_port()
        self.credentials = (username.encode(), password.encode())

        def authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
            if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == self.credentials:
                return AuthResult(success=True, auth_data=auth_data)
            return AuthResult(success=False, handled=False)

        self.controller = Controller(
            handler, hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True,
            authenticator=authenticate, auth_require_tls=True,
        )  # fmt: skip

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


class WebhookReceiver:
    """http.server on 127.0.0.1: a POST whose X-Reports-Signature matches the HMAC-SHA256 of its body under the
    secret is kept (204); any other is refused (401) and kept apart."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()
        self.accepted: list[bytes] = []
        self.refused: list[bytes] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = "sha256=" + hmac.new(receiver.secret, body, hashlib.sha256).hexdigest()
                valid = hmac.compare_digest(self.headers.get("X-Reports-Signature", ""), expected)
                (receiver.accepted if valid else receiver.refused).append(body)
                self.send_response(204 if valid else 401)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/briefings"

    def __enter__(self) -> WebhookReceiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
