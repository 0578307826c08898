"""Translatable content (DESIGN section 9): which text a reader gets, in which language.

Frameworks and playbook templates are written in their own `language` and may carry
`translations: {fr: {name: ..., levels: {1: ...}}}` on every object. A reader asks for a
language (`?lang=`, then `Accept-Language`); each text comes in that language when a
translation holds it, else in the content's own language, so a text is never empty when
its source is not. Pure functions over plain mappings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

#: The text fields that may be translated, per kind of object.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "framework": ("name", "description"),
    "scale": ("label", "descriptor"),
    "axis": ("name", "description"),
    "dimension": ("name", "description", "levels"),
    "question": ("text", "answers"),
    "template": ("title", "description", "success_criteria"),
}

Translations = Mapping[str, Mapping[str, Any]]


def reader_language(asked: str | None, accepted: str | None,
                    locales: Sequence[str]) -> str | None:
    """The language a reader asks for: `?lang=` when it is a known locale, else the best
    match of `Accept-Language`; None when neither says, so the content's own is used."""
    if asked in locales:
        return asked
    return accepted if accepted in locales else None


def localized(texts: Mapping[str, Any], translations: Translations | None,
              wanted: str | None, own: str) -> dict[str, Any]:
    """`texts` (the source's text fields) in the `wanted` language: each field, each level
    descriptor (a mapping) and each item of a list taken from `translations[wanted]` when
    it holds a non-empty text there, else the source's own text."""
    if not wanted or wanted == own or not translations:
        return dict(texts)
    overlay = translations.get(wanted) or {}
    return {name: _pick(value, overlay.get(name)) for name, value in texts.items()}


def _pick(source: Any, translated: Any) -> Any:
    """The translated value where it has text, item by item; the source elsewhere."""
    if isinstance(source, Mapping):
        by_key = translated if isinstance(translated, Mapping) else {}
        return {key: _pick(text, by_key.get(key)) for key, text in source.items()}
    if isinstance(source, list):
        items = translated if isinstance(translated, list) else []
        return [_pick(text, items[i] if i < len(items) else None)
                for i, text in enumerate(source)]
    if isinstance(translated, str) and translated.strip():
        return translated
    return source


def localize_framework(document: Mapping[str, Any], wanted: str | None) -> dict[str, Any]:
    """A framework document (DESIGN section 5, with `language` and `translations`) whose
    texts are in the `wanted` language where translated: names, descriptions, scale labels
    and descriptors, level descriptors, questions and answers. Every object keeps its
    `translations` (an empty mapping when it has none)."""
    own = document.get("language") or "en"

    def texts(kind: str, item: Mapping[str, Any]) -> dict[str, Any]:
        fields = {name: item[name] for name in TEXT_FIELDS[kind] if name in item}
        translations = dict(item.get("translations") or {})
        return {**item, "translations": translations,
                **localized(fields, translations, wanted, own)}

    framework = texts("framework", document)
    framework["scale"] = [texts("scale", level) for level in document.get("scale", [])]
    framework["axes"] = [
        {**texts("axis", axis),
         "dimensions": [_dimension(texts, dimension) for dimension in axis.get("dimensions", [])]}
        for axis in document.get("axes", [])]
    return framework


def _dimension(texts: Callable[[str, Mapping[str, Any]], dict[str, Any]],
               dimension: Mapping[str, Any]) -> dict[str, Any]:
    """A dimension and its questions localized; answers keep their values."""
    localized_dimension = texts("dimension", dimension)
    questions = []
    for question in dimension.get("questions", []):
        answer_texts = [answer["text"] for answer in question.get("answers", [])]
        chosen = texts("question", {**question, "answers": answer_texts})
        chosen["answers"] = [{**answer, "text": text}
                             for answer, text in zip(question.get("answers", []),
                                                     chosen["answers"], strict=True)]
        questions.append(chosen)
    localized_dimension["questions"] = questions
    return localized_dimension
