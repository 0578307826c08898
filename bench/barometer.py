"""Bench: the barometer email to 1,000 recipients through a local SMTP server (aiosmtpd).

Measures the time to render and queue the emails, then to deliver them over SMTP, and
proves that the charts were rendered once for the whole run (not once per recipient).
Target: under 30 s in total on this machine.

    .venv/bin/python bench/barometer.py [--recipients 1000]
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import time

from aiosmtpd.controller import Controller

from tracker import create_app
from tracker.adapters.charts import png as charts
from tracker.extensions import db
from tracker.models import Organization
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds
from tracker.services.follow import barometer_mail, outbox

TARGET_SECONDS = 30.0


class Counter:
    """Counts the messages the SMTP server accepts, and their inline images."""

    def __init__(self) -> None:
        self.messages = 0
        self.images = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages += 1
        self.images += envelope.content.count(b"Content-Type: image/png")  # type: ignore[attr-defined]
        return "250 OK"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        counter = Counter()
        port = free_port()
        controller = Controller(counter, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                              "SECRET_KEY": "bench", "TRACKER_SCHEDULER": False,
                              "TRACKER_SMTP_HOST": "127.0.0.1",
                              "TRACKER_SMTP_PORT": port,
                              "TRACKER_MAIL_DIR": f"{tmp}/mail"})
            with app.app_context():
                db.create_all()
                seeds.seed_frameworks()
                org = db.session.get(Organization, demo.load_demo().org_id)
                recipients = [f"reader{k:04d}@example.org" for k in range(args.recipients)]
                renders = charts.renders()
                start = time.perf_counter()
                result = barometer_mail.send_barometer(org, app.config, recipients, "2026-Q4")
                queued = time.perf_counter()
                flushed = outbox.deliver_pending(app.config)
                done = time.perf_counter()
        finally:
            controller.stop()
    total = done - start
    print(f"recipients:          {len(result.queued)}")
    print(f"render + queue:      {queued - start:.2f} s")
    print(f"SMTP delivery:       {done - queued:.2f} s ({flushed.sent} sent, "
          f"{flushed.retried} to retry, {flushed.failed} failed)")
    print(f"total:               {total:.2f} s (target < {TARGET_SECONDS:.0f} s)")
    print(f"charts rendered:     {charts.renders() - renders} (trend + radar, once)")
    print(f"messages received:   {counter.messages}, inline images: {counter.images}")
    ok = (total < TARGET_SECONDS and charts.renders() - renders == 2
          and counter.messages == args.recipients == flushed.sent)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
