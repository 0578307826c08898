"""The barometer email is built once (issue 20): its text, HTML and charts are rendered once
per organization and period, its MIME body encoded once per delivery run, and each recipient
gets the same body bytes with only their own headers (To, Message-ID), over one SMTP
connection, through a real SMTP server."""

from __future__ import annotations

import email
from datetime import UTC, datetime, timedelta, timezone
from email.policy import default
from typing import Any

import pytest

from tests.integration.test_barometer_email import demo_org  # noqa: F401 (a fixture)
from tests.smtp_server import SmtpServer
from tracker.adapters.charts import png as charts
from tracker.adapters.email import transport
from tracker.adapters.email.transport import Bodies, Part, prepare_message
from tracker.services.follow import barometer_mail, outbox

READERS = ["ann@example.org", "bo@example.org", "cy@example.org"]


class RawServer(SmtpServer):
    """The tests' SMTP server, keeping each message's bytes as received and counting the
    SMTP sessions."""

    def __init__(self) -> None:
        super().__init__()
        self.raw: list[bytes] = []
        self.sessions = 0
        collector = self.collector
        handle_data = collector.handle_DATA

        async def keep(server: Any, session: Any, envelope: Any) -> str:
            self.raw.append(envelope.original_content)
            return await handle_data(server, session, envelope)

        async def hello(server: Any, session: Any, envelope: Any, hostname: str,
                        responses: list[str]) -> list[str]:
            self.sessions += 1
            session.host_name = hostname
            return responses

        collector.handle_DATA = keep  # type: ignore[method-assign]
        collector.handle_EHLO = hello  # type: ignore[attr-defined]


def split(raw: bytes) -> tuple[dict[str, str], bytes]:
    """The top-level headers of a message (unfolded) and everything after them."""
    head, _, body = raw.partition(b"\r\n\r\n")
    parsed = email.message_from_bytes(head + b"\r\n\r\n", policy=default)
    return {name: str(value) for name, value in parsed.items()}, body


def test_three_readers_get_the_same_body_built_once_and_their_own_headers(app, request,
                                                                          monkeypatch):
    org = request.getfixturevalue("demo_org")
    rendered: list[str] = []
    real_render = barometer_mail.render

    def counting_render(content: Any, locale: str) -> Any:
        rendered.append(locale)
        return real_render(content, locale)

    monkeypatch.setattr(barometer_mail, "render", counting_render)
    drawn_before = charts.renders()
    queued = barometer_mail.send_barometer(org, app.config, recipients=READERS,
                                           period="2026-Q4")
    assert queued.queued == READERS
    assert rendered == ["en"]  # the text and HTML once for the three readers
    assert charts.renders() - drawn_before == 2  # trend and radar, once

    bodies: list[int] = []
    real_set_body = transport._set_body

    def counting_set_body(*args: Any) -> None:
        bodies.append(1)
        real_set_body(*args)

    monkeypatch.setattr(transport, "_set_body", counting_set_body)
    with RawServer() as smtp:
        assert outbox.deliver_pending({**app.config, **smtp.config}).sent == 3
    assert len(bodies) == 1  # the MIME body encoded once for the three messages
    assert smtp.sessions == 1  # over one connection

    received = [split(raw) for raw in smtp.raw]
    assert [headers["To"] for headers, _ in received] == READERS
    assert len({body for _, body in received}) == 1  # the very same body bytes
    ids = [headers["Message-ID"] for headers, _ in received]
    assert len(set(ids)) == 3
    assert all(reader.replace("@", ".") in mid for reader, mid in zip(READERS, ids,
                                                                       strict=True))
    shared = {name: value for name, value in received[0][0].items()
              if name not in ("To", "Message-ID", "Date")}
    for headers, _ in received[1:]:
        assert {k: v for k, v in headers.items() if k not in ("To", "Message-ID", "Date")
                } == shared
    assert shared["Subject"] == "NovaTechna: maturity barometer 2026-Q4"
    assert shared["From"] == "tracker@tracker.test"
    # each message is whole: text, HTML and both charts, the link to the barometer
    message = smtp.collector.messages[2]
    parts = [p for p in message.walk() if not p.is_multipart()]
    assert [p.get_content_type() for p in parts] == [
        "text/plain", "text/html", "image/png", "image/png"]
    assert f"http://tracker.test/orgs/{org.id}/barometer" in parts[0].get_content()
    assert {p["Content-ID"] for p in parts[2:]} == {"<trend@tracker>", "<radar@tracker>"}


@pytest.mark.parametrize("sender", ["tracker@tracker.test", "Tracker Bot <bot@x.org>",
                                    "Équipe Tracker <e@x.fr>"])
@pytest.mark.parametrize("recipient", ["ann@example.org", "a.b+c@sub.example.org",
                                       "a" * 70 + "@example.org", "zoé@example.org",
                                       "ann@exämple.org"])
def test_the_headers_written_once_per_run_are_those_of_the_email_package(sender, recipient):
    """Whatever the path (From and Subject built once per run, or the whole message built
    by the email package for an unusual address), the headers are byte for byte those of
    a message built alone."""
    bodies = Bodies()
    parts = [Part("c@tracker", "c.png", "image/png", b"\x89PNG")]
    for subject in ("NovaTechna : baromètre de maturité 2026-Q4", "x" * 120):
        for created in (datetime(2026, 12, 3, 6, 53, 16, tzinfo=UTC),
                        datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=1)))):
            for key in (f"barometer:7:2026-Q4:{recipient}", "k" * 40, "k" * 130):
                try:
                    alone = prepare_message(sender, recipient, subject, "t", "<p>h</p>",
                                            parts, key, created)
                except ValueError as refused:  # cannot be built: not either way
                    with pytest.raises(type(refused)):
                        prepare_message(sender, recipient, subject, "t", "<p>h</p>", parts,
                                        key, created, bodies)
                    continue
                batched = prepare_message(sender, recipient, subject, "t", "<p>h</p>", parts,
                                          key, created, bodies)
                assert batched.data.split(b"MIME-Version")[0] == \
                    alone.data.split(b"MIME-Version")[0]
                assert (batched.headers, batched.envelope_from) == (alone.headers,
                                                                    alone.envelope_from)
    assert bodies.built == (1 if recipient.isascii() else 0)


def test_a_line_break_in_a_header_still_cannot_be_built():
    bodies = Bodies()
    created = datetime(2026, 12, 3, tzinfo=UTC)
    with pytest.raises(ValueError):
        prepare_message("t@tracker.test", "r@example.org\r\nBcc: victim@evil.test", "Hi", "T",
                        None, [], "k", created, bodies)
    with pytest.raises(ValueError):
        prepare_message("t@tracker.test", "r@example.org", "Hi\r\nBcc: victim@evil.test", "T",
                        None, [], "k", created, bodies)
