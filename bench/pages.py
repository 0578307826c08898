"""Bench: server-side render time of each main page of the demo organization.

Signs in as the demo lead with Flask's test client (no network), renders each page five
times and prints the median; target under 300 ms per page. Pages not yet written are
skipped.

    .venv/bin/python bench/pages.py [--database-url sqlite:///...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time

from sqlalchemy import select

from tracker import create_app
from tracker.extensions import db
from tracker.models import Assessment, Initiative
from tracker.seeding import demo
from tracker.seeding import frameworks as seeds

TARGET_MS = 300.0
RUNS = 5


def main() -> int:
    """Render every main page `RUNS` times and print the medians; 1 if one is too slow."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    options = parser.parse_args()
    tmp = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": options.database_url or f"sqlite:///{tmp}/b.db",
                      "SECRET_KEY": "bench", "TRACKER_SCHEDULER": False,
                      "TRACKER_MAIL_DIR": tmp, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.create_all()
        seeds.seed_frameworks()
        result = demo.load_demo()
        org = result.org_id
        assessment = db.session.scalar(
            select(Assessment.id).where(Assessment.org_id == org, Assessment.status == "closed")
            .order_by(Assessment.closed_at.desc()).limit(1))
        initiative = db.session.scalar(select(Initiative.id).where(Initiative.org_id == org)
                                       .order_by(Initiative.id).limit(1))
    pages = {"diagnostic": ("web.assessment", f"/orgs/{org}/assessments/{assessment}"),
             "backlog": ("web.backlog", f"/orgs/{org}/backlog"),
             "initiative": ("web.initiative", f"/orgs/{org}/initiatives/{initiative}"),
             "dependencies": ("web.dependencies", f"/orgs/{org}/dependencies"),
             "roadmap": ("web.roadmap", f"/orgs/{org}/roadmap"),
             "barometer": ("web.barometer", f"/orgs/{org}/barometer"),
             "schedules": ("web.schedules", f"/orgs/{org}/schedules")}
    client = app.test_client()
    client.post("/login", data={"email": result.login, "password": demo.DEMO_PASSWORD})
    slow = False
    print(f"{'page':<14}{'median ms':>10}{'max ms':>9}  status")
    for name, (endpoint, url) in pages.items():
        if endpoint not in app.view_functions:
            print(f"{name:<14}{'–':>10}{'–':>9}  not written yet")
            continue
        timings, status = [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            status = client.get(url).status_code
            timings.append((time.perf_counter() - started) * 1000)
        median = statistics.median(timings)
        slow = slow or median >= TARGET_MS or status != 200
        print(f"{name:<14}{median:>10.1f}{max(timings):>9.1f}  {status}"
              f"{'  SLOW' if median >= TARGET_MS else ''}")
    print(f"target: median < {TARGET_MS:.0f} ms per page")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
