"""Numbers on the drawn charts follow the reader's language (DESIGN section 9): Babel writes
them (`1,60` in French), without touching the process's locale; a PNG drawn for French
differs from the English one only by its numbers."""

from __future__ import annotations

import locale as process_locale

from flask_babel import force_locale

from tracker.adapters.charts import png
from tracker.adapters.charts.numbers import chart_locale, decimal_text, tick_formatter


def test_values_and_ticks_use_the_decimal_comma_in_french():
    assert decimal_text(1.6, 2, "fr") == "1,60" and decimal_text(1.6, 2, "en") == "1.60"
    assert decimal_text(1234.5, 1, "fr") == "1\u202f234,5"
    french = tick_formatter("fr")
    assert (french(2.5, 0), french(3.0, 1)) == ("2,5", "3")
    assert tick_formatter("en")(2.5, 0) == "2.5"


def test_the_locale_defaults_to_the_one_babel_renders_in(app):
    with app.test_request_context(), force_locale("fr"):
        assert chart_locale() == "fr" and decimal_text(2.4, 2) == "2,40"
    assert chart_locale("en") == "en"


def test_a_french_png_differs_by_its_numbers_and_leaves_the_process_locale(app):
    before = process_locale.setlocale(process_locale.LC_NUMERIC)
    args = (["T1", "T2"], [1.6, 2.4], (1.0, 5.0), "Overall")
    english, french = png.trend_chart(*args, "en"), png.trend_chart(*args, "fr")
    heat_en = png.heatmap_chart(["a"], ["g"], [[2.35]], (1.0, 5.0), "Heat", "en")
    heat_fr = png.heatmap_chart(["a"], ["g"], [[2.35]], (1.0, 5.0), "Heat", "fr")

    assert english.startswith(b"\x89PNG") and french.startswith(b"\x89PNG")
    assert english != french and heat_en != heat_fr
    assert png.trend_chart(*args, "fr") == french  # drawn the same way each time
    assert process_locale.setlocale(process_locale.LC_NUMERIC) == before
