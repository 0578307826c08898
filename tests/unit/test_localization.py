"""Which text a reader gets (DESIGN section 9): the requested language's when a translation
holds it, else the content's own; never empty when the source is not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.frame.localization import localize_framework, localized, reader_language

LOCALES = ("en", "fr")
TEXT = st.text(min_size=0, max_size=20)
FIELDS = st.sampled_from(["name", "description", "label"])


@given(source=st.dictionaries(FIELDS, TEXT, min_size=1),
       overlay=st.dictionaries(FIELDS, TEXT), wanted=st.sampled_from([None, "en", "fr"]))
def test_the_requested_language_wins_where_it_has_text(source, overlay, wanted):
    chosen = localized(source, {"fr": overlay}, wanted, "en")

    assert set(chosen) == set(source)
    for name, text in source.items():
        translated = overlay.get(name, "")
        if wanted == "fr" and translated.strip():
            assert chosen[name] == translated
        else:
            assert chosen[name] == text
        if text.strip():
            assert chosen[name].strip()


@given(levels=st.dictionaries(st.sampled_from(["1", "2", "3"]), TEXT, min_size=1),
       overlay=st.dictionaries(st.sampled_from(["1", "2", "3"]), TEXT))
def test_level_descriptors_fall_back_one_by_one(levels, overlay):
    chosen = localized({"levels": levels}, {"fr": {"levels": overlay}}, "fr", "en")["levels"]

    assert chosen == {key: overlay[key] if overlay.get(key, "").strip() else text
                      for key, text in levels.items()}


def test_a_shorter_list_of_answers_keeps_the_source_for_the_rest():
    chosen = localized({"answers": ["No", "Yes", "Maybe"]}, {"fr": {"answers": ["Non"]}},
                       "fr", "en")

    assert chosen == {"answers": ["Non", "Yes", "Maybe"]}


def test_the_own_language_is_read_as_written():
    assert localized({"name": "Grille"}, {"en": {"name": "Grid"}}, "fr", "fr") == {
        "name": "Grille"}
    assert localized({"name": "Grille"}, {"en": {"name": "Grid"}}, "en", "fr") == {
        "name": "Grid"}


def test_lang_then_accept_language_then_none():
    assert reader_language("fr", "en", LOCALES) == "fr"
    assert reader_language("de", "en", LOCALES) == "en"
    assert reader_language(None, None, LOCALES) is None


def test_a_framework_document_is_localized_to_its_answers():
    document = {"language": "en", "name": "Grid", "scale": [
        {"value": 1, "label": "Low", "translations": {"fr": {"label": "Bas"}}}],
        "axes": [{"code": "a", "name": "A", "dimensions": [
            {"code": "a.one", "name": "One", "levels": {"1": "Nothing"}, "questions": [
                {"code": "q", "text": "Is it?", "answers": [{"text": "No", "value": 0}],
                 "translations": {"fr": {"text": "Est-ce ?", "answers": ["Non"]}}}]}]}]}

    french = localize_framework(document, "fr")

    assert french["scale"][0]["label"] == "Bas"
    assert french["axes"][0]["name"] == "A" and french["axes"][0]["translations"] == {}
    question = french["axes"][0]["dimensions"][0]["questions"][0]
    assert question["text"] == "Est-ce ?"
    assert question["answers"] == [{"text": "Non", "value": 0}]
    assert document["scale"][0]["label"] == "Low"  # the source is left as it was
