"""A respondent's rating of a dimension computed from their answers to its questions, by the
framework's `question_rule` (DESIGN section 3).

- `mean`: the mean of the answer values (expressed on the scale);
- `samm`: OWASP SAMM's rule: questions are grouped in streams, a stream is worth the sum of
  its answer values (answers 0, 0.25, 0.5 or 1 to one question per maturity level, so 0 to
  3), and the rating is the mean over streams of those sums.

Questions without a stream form one stream of their own. Unanswered questions ("cannot
say", a null value) are skipped: under `samm` a stream with no answer at all is left out of
the mean rather than counted as 0. No answer at all gives a null rating.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from tracker.domain.errors import InvalidInput

QUESTION_RULES: tuple[str, ...] = ("mean", "samm")

Answer = tuple[str | None, float | None]


def _mean_rule(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _samm_rule(answers: Sequence[tuple[str | None, float]]) -> float:
    streams: dict[str | None, list[float]] = {}
    for stream, value in answers:
        streams.setdefault(stream, []).append(value)
    return math.fsum(math.fsum(values) for values in streams.values()) / len(streams)


def rating_from_answers(rule: str, answers: Sequence[Answer]) -> float | None:
    """The rating given by `(stream, value)` answers to one dimension's questions.

    Raises
    ------
    InvalidInput : `rule` is neither `mean` nor `samm`

    Examples
    --------
    >>> answers = [("A", 1.0), ("A", 0.5), ("A", 0.25), ("B", 0.5), ("B", 0.0), ("B", 0.0)]
    >>> rating_from_answers("samm", answers)     # (1.75 + 0.5) / 2
    1.125
    >>> rating_from_answers("mean", [(None, 2), (None, 3), (None, None)])
    2.5
    >>> rating_from_answers("samm", []) is None
    True
    """
    if rule not in QUESTION_RULES:
        raise InvalidInput(f"Unknown question rule {rule!r}",
                           errors={"question_rule": [
                               f"Must be one of: {', '.join(QUESTION_RULES)}."]})
    given = [(stream, value) for stream, value in answers if value is not None]
    if not given:
        return None
    if rule == "mean":
        return _mean_rule([value for _, value in given])
    return _samm_rule(given)
