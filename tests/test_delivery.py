"""`deliver:` targets of `reports run`, against real servers on 127.0.0.1 started here: an SMTP server (aiosmtpd)
that requires STARTTLS and a login, one that refuses every message with 552, a webhook receiver that checks the
signature, and a desk folder that cannot be written. What a target received is read from the server (the message
as a mail client parses it, the attachments' bytes, the POSTed JSON) and compared with the files the run wrote."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import REPO_ROOT
from support.receivers import MailHandler, SmtpServer, WebhookReceiver, free_port
from support.workspace import RESTRICTED_AREA, Workspace

from reports.cli import main
from reports.delivery import DeliveryError, Item, Parcel
from reports.delivery.targets import WebhookTarget
from reports.delivery.webhook import post_webhook
from reports.scheduler.jobs import load_jobs

USER, PASSWORD, SECRET = "desk-robot", "s3cret-Pa55word!", "hook-secret-42"
ALL = {f"{audience}.en.html" for audience in ("leadership", "ministry", "press")}


@pytest.fixture
def workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.setenv("SMTP_USER", USER)
    monkeypatch.setenv("SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    workspace = Workspace(tmp_path, capsys)
    workspace.dossier("north").write("areas/security.md", RESTRICTED_AREA)
    return workspace


@pytest.fixture
def smtp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with SmtpServer(tmp_path, USER, PASSWORD, MailHandler()) as server:
        monkeypatch.setenv("SSL_CERT_FILE", str(server.cert_file))  # the client verifies the server against it
        yield server


@pytest.fixture
def hook():
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


def jobs(workspace: Workspace, deliver: str, formats: str = "[html]", dossier: str = "north", audiences: str = "") -> None:
    """One job, `north`, in English, with the `deliver:` list given (YAML at the list's level): every audience, or
    the `audiences` given (a YAML list) where which documents are sent is not what a test checks. A test that fails a
    delivery needs one document, not three: the ministry's HTML needs no PDF laid out to fit a page limit."""
    items = "".join(f"    {line}\n" for line in deliver.strip("\n").splitlines())
    text = f'jobs:\n  - name: north\n    dossier: "{dossier}"\n    formats: {formats}\n    out: out\n    schedule: "@monthly"\n'
    if audiences:
        text += f"    audiences: {audiences}\n"
    workspace.jobs.write_text(text + "    deliver:\n" + items, encoding="utf-8")


def email(port: int, extra: str = "") -> str:
    return (
        f'- email: {{to: [desk@example.org, deputy@example.org], from: reports@example.org, smtp: "127.0.0.1:{port}", '
        f'starttls: true, username_env: SMTP_USER, password_env: SMTP_PASSWORD, subject: "Monthly briefings"{extra}}}\n'
        "  restricted: true"
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_content() for part in message.iter_attachments()}


def assert_no_password(workspace: Workspace, *outputs: str) -> None:
    for text in (*outputs, (workspace.out / "manifest.json").read_text(encoding="utf-8")):
        assert PASSWORD not in text


# ---------------------------------------------------------------- email


def test_email_over_starttls_carries_every_new_document(workspace: Workspace, smtp: SmtpServer) -> None:
    jobs(workspace, email(smtp.port), formats="[html, pdf]")
    result = workspace.run()
    assert result.code == 0, result.err
    assert "north: delivered 6 documents of north-south to email desk@example.org, deputy@example.org" in result.out

    [received] = smtp.handler.messages
    assert received.tls and received.login == USER
    assert received.mail_from == "reports@example.org"
    assert received.rcpt_tos == ["desk@example.org", "deputy@example.org"]
    message = received.message
    assert message["Subject"] == "Monthly briefings: Northland–Southland relations"
    assert message["To"] == "desk@example.org, deputy@example.org"
    body = message.get_body(("plain",)).get_content()
    assert "Northland–Southland relations (north-south): 6 new briefings built by the job 'north'." in body
    assert "ministry.en.pdf  (ministry, en, PDF, " in body
    files = {name: (workspace.out / "north-south" / name).read_bytes() for name in ALL | {n.replace("html", "pdf") for n in ALL}}
    assert attachments(message) == {
        name: content.decode() if name.endswith(".html") else content for name, content in files.items()
    }
    types = {part.get_filename(): part.get_content_type() for part in message.iter_attachments()}
    assert types["press.en.pdf"] == "application/pdf" and types["press.en.html"] == "text/html"
    pdf = workspace.root / "received.pdf"
    pdf.write_bytes(attachments(message)["press.en.pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Northland" in text and "Security" not in text  # the press sheet, without the restricted area
    assert_no_password(workspace, result.out, result.err)
    owed = workspace.manifest()["jobs"]["north"]["deliveries"]
    assert owed == {
        "email desk@example.org, deputy@example.org via 127.0.0.1:" + str(smtp.port): {
            "owed": [], "last_delivered": {"at": owed[next(iter(owed))]["last_delivered"]["at"], "documents": 6}
        }
    }  # fmt: skip


def test_documents_over_the_size_limit_are_named_not_attached(workspace: Workspace, smtp: SmtpServer) -> None:
    jobs(workspace, email(smtp.port, extra=", max_attachment_mb: 0.001"))
    assert workspace.run().code == 0
    [received] = smtp.handler.messages
    assert attachments(received.message) == {}
    body = received.message.get_body(("plain",)).get_content()
    assert "Not attached (over 0.001 MB each; at these paths on the machine that built them):" in body
    for name in ALL:
        assert str((workspace.out / "north-south" / name).resolve()) in body


def test_a_rejected_message_is_one_line_exit_1_and_is_sent_on_the_next_run(workspace: Workspace, smtp: SmtpServer) -> None:
    smtp.handler.reject = "552 5.3.4 Message size exceeds fixed maximum message size"
    jobs(workspace, email(smtp.port))
    first = workspace.run("--due")
    assert first.code == 1
    [line] = [line for line in first.err.splitlines() if line.strip()]
    assert line == (
        f"delivery failed: job north (north-south) to email desk@example.org, deputy@example.org via 127.0.0.1:{smtp.port}: "
        "refused by the server: 552 5.3.4 Message size exceeds fixed maximum message size; 3 documents kept for the next run"
    )
    built = workspace.files()
    assert set(built) == {f"north-south/{name}" for name in ALL}  # the builds stand
    manifest = workspace.manifest()
    assert manifest["jobs"]["north"]["last_success"]
    [target] = manifest["jobs"]["north"]["deliveries"].values()
    assert {entry["path"] for entry in target["owed"]} == set(built)
    assert "552" in target["last_failure"]["reason"]

    smtp.handler.reject = None
    second = workspace.run("--due", now="2025-11-11T06:00")  # the monthly job is not due: its delivery is
    assert second.code == 0, second.err
    assert "north: not due" in second.out
    assert second.rendered == set()  # nothing rebuilt: the owed documents are sent as they are
    [received] = smtp.handler.messages
    assert attachments(received.message) == {name: built[f"north-south/{name}"].decode() for name in ALL}
    [target] = workspace.manifest()["jobs"]["north"]["deliveries"].values()
    assert target["owed"] == []


def test_the_password_never_shows_even_when_the_server_quotes_it(workspace: Workspace, smtp: SmtpServer) -> None:
    smtp.handler.reject = "550 5.7.1 user desk-robot with password {password} may not send"
    jobs(workspace, email(smtp.port), audiences="[ministry]")
    result = workspace.run()
    assert result.code == 1
    assert "550 5.7.1 user desk-robot with password *** may not send" in result.err
    assert_no_password(workspace, result.out, result.err)


def test_a_wrong_password_and_a_missing_variable_fail_without_showing_it(
    workspace: Workspace, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs(workspace, email(smtp.port), audiences="[ministry]")
    monkeypatch.setenv("SMTP_PASSWORD", "wrong-" + PASSWORD)
    result = workspace.run()
    assert result.code == 1 and "refused by the server: 535" in result.err
    assert "wrong-" not in result.err + result.out + (workspace.out / "manifest.json").read_text()
    monkeypatch.delenv("SMTP_PASSWORD")
    result = workspace.run()
    assert result.code == 1 and "environment variable SMTP_PASSWORD not set; 1 document kept" in result.err
    assert smtp.handler.messages == []


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(
    workspace: Workspace, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE")  # the system's authorities do not know the test's certificate
    jobs(workspace, email(smtp.port), audiences="[ministry]")
    result = workspace.run()
    assert result.code == 1
    assert "SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed" in result.err
    assert smtp.handler.messages == []


# ---------------------------------------------------------------- webhook


def test_webhook_receives_a_signed_list_of_paths_and_digests(workspace: Workspace, hook: WebhookReceiver) -> None:
    jobs(workspace, f'- webhook: {{url: "{hook.url}", secret_env: HOOK_SECRET}}\n  restricted: true')
    assert workspace.run().code == 0
    assert hook.refused == []
    [body] = hook.accepted
    sent = json.loads(body)
    assert sent["job"] == "north" and sent["dossier"] == "north-south"
    expected = [
        {"path": str((workspace.out / "north-south" / f"{audience}.en.html").resolve()),
         "sha256": hashlib.sha256((workspace.out / "north-south" / f"{audience}.en.html").read_bytes()).hexdigest(),
         "audience": audience, "lang": "en", "format": "html"}
        for audience in ("leadership", "ministry", "press")
    ]  # fmt: skip
    assert sorted(sent["documents"], key=lambda d: d["audience"]) == expected


def test_a_webhook_that_refuses_the_signature_fails_the_delivery(
    workspace: Workspace, hook: WebhookReceiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET", "not-the-receivers-secret")
    jobs(workspace, f'- webhook: {{url: "{hook.url}", secret_env: HOOK_SECRET}}', audiences="[press]")
    result = workspace.run()
    assert result.code == 1
    assert f"to webhook {hook.url}: answered 401 Unauthorized; 1 document kept for the next run" in result.err
    assert len(hook.refused) == 1 and hook.accepted == []
    assert "not-the-receivers-secret" not in result.err + (workspace.out / "manifest.json").read_text()


def test_a_document_rebuilt_byte_identical_is_not_sent_again(workspace: Workspace, hook: WebhookReceiver) -> None:
    jobs(workspace, f'- webhook: {{url: "{hook.url}", secret_env: HOOK_SECRET}}\n  restricted: true')
    assert workspace.run().code == 0
    assert len(hook.accepted) == 1
    forced = workspace.run("--force")
    assert forced.code == 0 and len(forced.rendered) == 3  # rebuilt, the same bytes
    assert len(hook.accepted) == 1

    north = workspace.root / "north" / "areas" / "security.md"
    north.write_text(RESTRICTED_AREA.replace("twice a year", "every month"), encoding="utf-8")
    edited = workspace.run()
    assert edited.code == 0
    # Both internal audiences read the restricted area's file, so both are rebuilt; the two-page note shows only the
    # area's summary, so its bytes are the same and only the ministry report is sent.
    assert edited.rendered == {"north-south/leadership.en.html", "north-south/ministry.en.html"}
    assert len(hook.accepted) == 2
    assert [d["audience"] for d in json.loads(hook.accepted[1])["documents"]] == ["ministry"]


def test_a_job_of_many_dossiers_sends_one_parcel_per_dossier(workspace: Workspace, hook: WebhookReceiver) -> None:
    workspace.dossier("east", dossier_id="east-west")
    # the press sheet, and one audience with restricted material that this target must not get
    jobs(workspace, f'- webhook: {{url: "{hook.url}", secret_env: HOOK_SECRET}}', dossier="*", audiences="[ministry, press]")
    assert workspace.run().code == 0
    parcels = {json.loads(body)["dossier"]: json.loads(body)["documents"] for body in hook.accepted}
    assert set(parcels) == {"north-south", "east-west"}
    for dossier, documents in parcels.items():
        assert [Path(d["path"]).relative_to((workspace.out / dossier).resolve()).as_posix() for d in documents] == [
            "press.en.html"
        ]


# ---------------------------------------------------------------- restricted audiences, folders


def test_restricted_audiences_go_only_to_targets_marked_restricted(workspace: Workspace, hook: WebhookReceiver) -> None:
    jobs(
        workspace,
        f'- folder: desk\n  restricted: true\n- folder: public\n- webhook: {{url: "{hook.url}", secret_env: HOOK_SECRET}}',
    )
    (workspace.root / "desk").mkdir()
    (workspace.root / "public").mkdir()
    result = workspace.run()
    assert result.code == 0, result.err
    built = workspace.files()
    desk = {p.name: p.read_bytes() for p in (workspace.root / "desk" / "north-south").iterdir()}
    public = {p.name: p.read_bytes() for p in (workspace.root / "public" / "north-south").iterdir()}
    assert desk == {name: built[f"north-south/{name}"] for name in ALL}
    assert public == {"press.en.html": built["north-south/press.en.html"]}
    [body] = hook.accepted
    assert [d["audience"] for d in json.loads(body)["documents"]] == ["press"]


def test_an_unwritable_folder_fails_the_delivery_not_the_build_and_is_retried(workspace: Workspace) -> None:
    # The folder's {dossier id} subfolder is a file, so nothing can be written under it, whoever runs the test
    # (root ignores permission bits, so chmod would not stop it).
    desk = workspace.root / "desk"
    desk.mkdir()
    (desk / "north-south").write_text("not a folder", encoding="utf-8")
    jobs(workspace, "- folder: desk\n  restricted: true")
    first = workspace.run()
    assert first.code == 1
    [line] = first.err.strip().splitlines()
    assert line.startswith(f"delivery failed: job north (north-south) to folder {desk}: {desk / 'north-south'}")
    assert line.endswith("; 3 documents kept for the next run")
    assert set(workspace.files()) == {f"north-south/{name}" for name in ALL}
    assert sorted(p.name for p in desk.iterdir()) == ["north-south"]  # no partial copy, no temporary file

    (desk / "north-south").unlink()
    second = workspace.run(now="2025-11-11T06:00")
    assert second.code == 0, second.err
    assert {p.name for p in (desk / "north-south").iterdir()} == ALL
    third = workspace.run(now="2025-11-12T06:00")
    assert "delivered" not in third.out  # owed nothing any more


def test_a_target_taken_out_of_the_job_is_owed_nothing_any_more(workspace: Workspace) -> None:
    jobs(workspace, "- folder: /nonexistent-share/desk\n  restricted: true", audiences="[ministry]")
    assert workspace.run().code == 1
    assert "deliveries" in workspace.manifest()["jobs"]["north"]
    jobs(workspace, "- folder: /nonexistent-share/other-desk\n  restricted: true", audiences="[ministry]")
    result = workspace.run(now="2025-11-11T06:00")
    assert result.code == 0, result.err  # nothing new was built, so the new target is owed nothing yet
    assert workspace.manifest()["jobs"]["north"]["deliveries"] == {"folder /nonexistent-share/other-desk": {"owed": []}}


def test_a_missing_folder_is_a_failure_not_a_new_folder(workspace: Workspace) -> None:
    jobs(workspace, "- folder: /nonexistent-share/desk\n  audiences: [press]", audiences="[press]")
    result = workspace.run()
    assert result.code == 1
    assert (
        "to folder /nonexistent-share/desk: /nonexistent-share/desk: is not a folder (create it, or mount the share)"
        in result.err
    )
    assert not Path("/nonexistent-share").exists()


# ---------------------------------------------------------------- the jobs file


def test_bad_deliver_entries_are_reported_with_their_lines(workspace: Workspace) -> None:
    jobs(
        workspace,
        """\
- folder: desk
  audiences: [ministry]
- email: {to: [not-an-address], from: reports@example.org, smtp: "mail.example.org", starttls: false,
          username_env: SMTP_USER, password_env: "s3cret-Pa55word!", subject: Briefings}
- webhook: {url: "ftp://hooks.example.org/x"}
- webhook: {url: "https://robot:s3cret-Pa55word!@hooks.example.org/x", secret_env: HOOK_SECRET}
- fax: 12345
""",
    )
    code = main(["run", "--jobs", str(workspace.jobs)])
    err = workspace.capsys.readouterr().err
    jobs_file = workspace.jobs
    assert code == 2
    assert err.splitlines() == [
        f"{jobs_file}:9: jobs[0].deliver[0].audiences[0]: 'ministry' includes restricted material, which this target "
        "never receives: add `restricted: true` to the target, or leave the audience out",
        f"{jobs_file}:10: jobs[0].deliver[1].email.to[0]: 'not-an-address' is not an email address",
        f"{jobs_file}:10: jobs[0].deliver[1].email.smtp: 'mail.example.org' must be HOST:PORT, e.g. mail.example.org:587",
        f"{jobs_file}:10: jobs[0].deliver[1].email.starttls: must be true when the server is logged in to: the password "
        "would cross the network in clear text",
        f"{jobs_file}:11: jobs[0].deliver[1].email.password_env: must be the name of an environment variable "
        "(letters, digits, _), not its value",
        f"{jobs_file}:12: jobs[0].deliver[2].webhook.url: 'ftp://hooks.example.org/x' must be an http:// or https:// address",
        f"{jobs_file}:12: jobs[0].deliver[2].webhook.secret_env: is required",
        f"{jobs_file}:13: jobs[0].deliver[3].webhook.url: must not hold a user or password: the body is signed with `secret_env`",
        f"{jobs_file}:14: jobs[0].deliver[4].fax: unknown key; known keys: folder, email, webhook, audiences, restricted",
        f"{jobs_file}:14: jobs[0].deliver[4]: must name exactly one target: `folder`, `email` or `webhook`",
    ]
    assert PASSWORD not in err  # a password written where the variable's name belongs is not repeated
    assert not workspace.out.exists()


# ---------------------------------------------------------------- the documented examples


def test_the_documented_jobs_file_and_the_example_are_valid(tmp_path: Path) -> None:
    text = (REPO_ROOT / "docs" / "scheduling.md").read_text(encoding="utf-8")
    [example] = [block for block in re.findall(r"```yaml\n(.*?)```", text, re.DOTALL) if "deliver:" in block]
    jobs_file = tmp_path / "reports.yaml"
    jobs_file.write_text(example.replace("dossier: data/kz-uz", f"dossier: {REPO_ROOT / 'data' / 'kz-uz'}"), encoding="utf-8")
    [job] = load_jobs(jobs_file).jobs
    assert [target.key for target in job.deliver] == [
        "folder /srv/desk",
        "email press-office@example.org via mail.example.org:587",
        "webhook https://hooks.example.org/briefings",
    ]
    assert [(target.audiences, target.restricted) for target in job.deliver] == [(None, True), (("press",), False), (None, False)]
    [job] = load_jobs(REPO_ROOT / "examples" / "delivery" / "reports.yaml").jobs
    assert [type(target.to).__name__ for target in job.deliver] == ["FolderTarget", "EmailTarget", "WebhookTarget"]


def test_the_example_receiver_accepts_what_a_run_signs_and_refuses_a_forgery(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOOK_SECRET", SECRET)
    monkeypatch.setenv("FORGED_SECRET", "guess")
    document = tmp_path / "north-south" / "press.en.html"
    document.parent.mkdir()
    document.write_text("<p>press</p>", encoding="utf-8")
    port = free_port()
    receiver = subprocess.Popen(
        [sys.executable, str(REPO_ROOT / "examples" / "delivery" / "webhook_receiver.py"), "--port", str(port)],
        env={**os.environ, "HOOK_SECRET": SECRET}, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert receiver.stdout is not None and receiver.stdout.readline().startswith("listening on")
        parcel = Parcel("north", "north-south", "Northland–Southland relations", (Item(document, "press", "en", "html", False),))
        url = f"http://127.0.0.1:{port}/briefings"
        post_webhook(WebhookTarget(url, "HOOK_SECRET"), parcel)
        assert receiver.stdout.readline().strip() == f"north north-south: {document.resolve()} sha256={sha(document)}"
        with pytest.raises(DeliveryError, match="answered 401 Unauthorized"):
            post_webhook(WebhookTarget(url, "FORGED_SECRET"), parcel)
        assert receiver.stdout.readline().strip() == "refused: the signature does not match the body"
    finally:
        receiver.terminate()
        receiver.wait()


def test_a_folder_target_is_named_the_same_from_wherever_the_run_starts(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs(workspace, "- folder: ../desk\n  restricted: true")
    [absolute] = load_jobs(workspace.jobs).jobs
    monkeypatch.chdir(workspace.root / "north")
    [relative] = load_jobs(Path("../reports.yaml")).jobs
    assert [t.key for t in relative.deliver] == [t.key for t in absolute.deliver] == [f"folder {workspace.root.parent / 'desk'}"]
