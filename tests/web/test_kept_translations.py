"""The request's translations are kept beside its language (`tracker.web.i18n`): every
message and lazy label of a request in its language, a language forced for a while (an
email in the organization's language) in that one, and the kept state where Flask-Babel
keeps its own, so that an upgrade moving it shows here rather than as slower pages."""

from __future__ import annotations

from flask import g, render_template_string
from flask_babel import force_locale, gettext

from tracker.web.labels import INITIATIVE_STATUS_LABELS


def test_a_french_request_reads_french_then_english_while_forced_then_french(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        first = gettext("Assessments")
        with force_locale("en"):
            forced = (gettext("Assessments"), str(INITIATIVE_STATUS_LABELS["done"]),
                      render_template_string("{{ _('Assessments') }}"))
        after = (gettext("Assessments"), str(INITIATIVE_STATUS_LABELS["done"]),
                 render_template_string("{{ _('Assessments') }}"))

    assert first == "Évaluations"
    assert forced == ("Assessments", "done", "Assessments")
    assert after == ("Évaluations", "terminée", "Évaluations")


def test_the_translations_are_kept_beside_flask_babels_own_state(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        gettext("Assessments")
        gettext("Assessments")
        state = g._flask_babel.__dict__

        assert state["tracker_kept_translations"][0] is state["babel_locale"]
        assert state["tracker_kept_translations"][1].gettext("Assessments") == "Évaluations"


def test_outside_a_request_the_default_language_applies(app):
    assert gettext("Assessments") == "Assessments"
