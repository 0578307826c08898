"""The grid upload page with translatable content: a grid carrying `language` and
`translations` imports with them, a bad translation is named by its place, and a code with
an accent is refused saying codes use unaccented letters."""

from __future__ import annotations

import html
import json
import re

import yaml

from tests.web.test_framework_pages import GRID, carried_document, demo_org, upload  # noqa: F401
from tracker.services.frame import frameworks

TRANSLATED = {**GRID, "language": "en", "translations": {"fr": {"name": "Grille Acme"}},
              "axes": [{**GRID["axes"][0], "translations": {"fr": {"name": "Produits"}}}]}


def _errors(response) -> str:
    return html.unescape(re.search(r'<ul class="field-error" id="document-errors">(.*?)</ul>',
                                   response.text, re.S).group(1))


def test_a_code_with_an_accent_is_refused_saying_why(client, demo_org):  # noqa: F811
    response = upload(client, demo_org, yaml.safe_dump({**GRID, "code": "grille-é"},
                                                       allow_unicode=True))

    assert response.status_code == 422
    assert "Codes use unaccented lowercase letters, digits, '.', '_' and '-'." in \
        _errors(response)


def test_a_bad_translation_is_named_by_its_place(client, demo_org):  # noqa: F811
    broken = {**TRANSLATED, "axes": [{**TRANSLATED["axes"][0],
                                      "translations": {"fr": {"title": "Produits"}}}]}

    response = upload(client, demo_org, yaml.safe_dump(broken, allow_unicode=True))

    assert response.status_code == 422
    assert "axes[0].translations.fr.title" in _errors(response)
    assert "Not a translatable field" in _errors(response)


def test_a_translated_grid_is_imported_with_its_translations(client, demo_org):  # noqa: F811
    preview = upload(client, demo_org, yaml.safe_dump(TRANSLATED, allow_unicode=True))
    assert preview.status_code == 200
    carried = carried_document(preview.text)

    imported = client.post(f"/orgs/{demo_org}/frameworks/import",
                           data={"document": carried})

    assert imported.status_code == 303
    stored = frameworks.find_framework("acme-grid")
    assert stored.translations == {"fr": {"name": "Grille Acme"}}
    assert stored.axes[0].translations == {"fr": {"name": "Produits"}}
    assert json.loads(carried)["language"] == "en"
