"""A backlog as Jira's CSV importer reads it, in the columns of our own Jira preset
(`tracker.adapters.importers.initiatives_file.PRESETS["jira"]`), so the file goes back into
Jira and, re-imported here with `preset=jira`, gives the same initiatives and links.

One row per issue: `Summary`, `Issue key`, `Status` (our status under the Jira name that
the preset's status map reads back as it), `Description`, `Custom field (Story Points)`
(the WSJF job size), then one `Outward issue link (Blocks)` column per issue this one
blocks, the header repeated as Jira writes it. Cells are spreadsheet-safe as in every CSV
of `tracker.adapters.exporters.csv`; separators are commas, numbers use a point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.adapters.exporters.csv import table
from tracker.adapters.importers.initiatives_file import PRESETS, STATUSES

#: The prefix of the key of an initiative that came from no tool (`TRK-12`).
KEY_PREFIX = "TRK"
#: Our statuses that no Jira name reads back as, and the closest one that does.
CLOSEST_STATUS: dict[str, str] = {"piloting": "in_progress"}


@dataclass(frozen=True, slots=True)
class Issue:
    """One initiative as a Jira issue: `status` is ours, `blocks` the keys it blocks."""

    key: str
    summary: str
    status: str
    description: str = ""
    story_points: float | None = None
    blocks: tuple[str, ...] = ()


def jira_status(status: str) -> str:
    """The Jira name of our status: the first of the preset's names that imports as it
    (as Jira capitalizes it), or as the closest status that has one; `To Do` else.

    >>> [jira_status(s) for s in ("proposed", "approved", "in_progress", "piloting", "done")]
    ['To Do', 'Planned', 'In Progress', 'In Progress', 'Done']
    >>> STATUSES[jira_status("dropped").lower()]
    'dropped'
    """
    wanted = CLOSEST_STATUS.get(status, status)
    return next((theirs.title() for theirs, ours in STATUSES.items() if ours == wanted),
                "To Do")


def _column(field: str) -> str:
    """The Jira preset's header of one of our fields."""
    header = PRESETS["jira"][field]
    return header if isinstance(header, str) else header[0]


def issues_csv(issues: Sequence[Issue]) -> str:
    """The Jira CSV of `issues`, with as many `Outward issue link (Blocks)` columns as the
    issue blocking the most has links (one, empty, when none has any).

    >>> text = issues_csv([Issue("PLAT-1", "Pilot", "in_progress", story_points=3.0,
    ...                          blocks=("PLAT-2",)), Issue("PLAT-2", "Roll out", "proposed")])
    >>> text.splitlines()[0].split(",")[-2:]
    ['Custom field (Story Points)', 'Outward issue link (Blocks)']
    >>> text.splitlines()[1:]
    ['Pilot,PLAT-1,In Progress,,3.0,PLAT-2', 'Roll out,PLAT-2,To Do,,,']
    """
    links = max((len(issue.blocks) for issue in issues), default=0) or 1
    columns = (*(_column(f) for f in ("title", "external_key", "status", "description",
                                      "job_size")), *[_column("blocks")] * links)
    return table(columns, [
        (issue.summary, issue.key, jira_status(issue.status), issue.description,
         issue.story_points, *issue.blocks, *[None] * (links - len(issue.blocks)))
        for issue in issues])
