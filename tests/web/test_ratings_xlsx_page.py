"""Survey answers as an `.xlsx` workbook on the ratings upload page: a bad cell named by its
row in the sheet (a blank row counted) with nothing written, and a workbook sent under a name
without `.xlsx` read by its content, previewed and saved."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.web import test_ratings_upload_pages as uploads
from tests.web_helpers import sign_in

#: The open assessment of the demo, with Ann and no rating (the upload pages' fixture).
campaign = uploads.campaign
_confirm, _post, _ratings = uploads._confirm, uploads._post, uploads._ratings


def _workbook(codes: list[str], *rows: list[object]) -> bytes:
    book = Workbook()
    for row in (["name", "role", "team", "level", "source", *codes], *rows):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_bad_cell_of_the_sheet_is_named_by_its_row_and_nothing_is_written(client, campaign):
    sign_in(client, "ops@novatechna.example")
    one, two = campaign["codes"]
    data = _workbook([one, two], ["Ann", "", "", "", "survey", 4, 3],
                     [None] * 7, ["Bob", "", "", "", "survey", 2, 6.5])

    response = _post(client, campaign["url"], data, "answers.xlsx")

    assert response.status_code == 422
    assert f"row 4.{two}</strong>: 6.5 is outside the scale 1–5" in response.text
    assert "row 2." not in response.text
    assert 'id="ratings-confirm"' not in response.text
    assert _ratings(campaign) == {}


def test_a_workbook_named_without_its_suffix_is_read_by_its_content(client, campaign):
    sign_in(client, "ops@novatechna.example")
    one, two = campaign["codes"]
    data = _workbook([one, two], ["Ann", "", "", "", "survey", 2, "n/a"],
                     ["Eve", "pm", "claims", "team", "interview", 5, 4.5])

    preview = _post(client, campaign["url"], data, "answers")

    assert preview.status_code == 200, preview.text
    assert 'id="preview-new">1<' in preview.text and 'id="preview-updated">1<' in preview.text
    assert 'id="preview-ratings">4<' in preview.text
    assert _confirm(client, campaign, preview.text).status_code == 303
    assert sorted(v for v in _ratings(campaign).values() if v is not None) == [2.0, 4.5, 5.0]
