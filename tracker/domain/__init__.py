"""The pure core of tracker: scoring, prioritization, graph and scheduling.

Nothing here imports Flask or SQLAlchemy: functions take plain values and dataclasses and
return plain values, so they are fast, testable with plain data and reusable from the API,
the CLI and the scheduler alike.
"""
