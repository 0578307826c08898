"""Static files: fingerprinted URLs in the pages, cached a year as immutable, sent compressed
when the client accepts it, an unknown hash refused; the pages' CSP unchanged."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from tracker.web.assets import build, fingerprinted

FINGERPRINTED = re.compile(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"')


def _asset_urls(client) -> list[str]:
    """The static URLs the sign-in page links."""
    return FINGERPRINTED.findall(client.get("/login").text)


def _source(app, url: str) -> bytes:
    """The bytes of the static folder's file behind a fingerprinted URL."""
    plain = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.removeprefix("/static/"))
    return (Path(app.static_folder) / plain).read_bytes()


def test_pages_link_fingerprinted_names_of_the_files_content(app, client):
    urls = _asset_urls(client)
    assert {"css/tracker.css", "css/picker.css", "js/picker.js"} <= {
        re.sub(r"\.[0-9a-f]{12}", "", url.removeprefix("/static/")) for url in urls}
    for url in urls:
        name = re.sub(r"\.[0-9a-f]{12}", "", url.removeprefix("/static/"))
        assert url == "/static/" + fingerprinted(name, _source(app, url))


def test_a_fingerprinted_file_is_immutable_for_a_year_and_gzipped_on_request(app, client):
    url = next(u for u in _asset_urls(client) if u.endswith(".css"))
    response = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers
    source = _source(app, url)
    assert gzip.decompress(response.data) == source and len(response.data) < len(source)


def test_without_accept_encoding_the_file_goes_out_as_is(app, client):
    url = next(u for u in _asset_urls(client) if u.endswith(".js"))
    response = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in response.headers
    assert response.mimetype == "text/javascript" and response.data == _source(app, url)


def test_brotli_is_preferred_when_the_client_accepts_it(app, client):
    brotli = pytest.importorskip("brotli")
    response = client.get("/static/vendor/plotly.min.js",
                          headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    plain = (Path(app.static_folder) / "vendor" / "plotly.min.js").read_bytes()
    assert brotli.decompress(response.data) == plain
    assert len(response.data) < len(plain) / 3


def test_an_unknown_or_stale_hash_is_not_found(client):
    assert client.get("/static/css/tracker.000000000000.css").status_code == 404
    assert client.get("/static/css/nothing.css").status_code == 404


def test_the_plain_name_still_answers_but_must_be_revalidated(client):
    response = client.get("/static/js/charts.js", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Content-Encoding"] == "gzip"


def test_pages_keep_their_csp_and_are_not_cached_like_files(client):
    page = client.get("/login")
    assert "script-src 'self';" in page.headers["Content-Security-Policy"]
    assert "immutable" not in page.headers.get("Cache-Control", "")


def test_the_vendored_plotly_is_the_partial_bundle_of_the_same_version(client):
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.data.startswith(b"/* plotly.js v4.1.1 (MIT")
    assert 1_000_000 < len(response.data) < 1_500_000  # the full bundle is 4.8 MB


def test_a_changed_file_gets_a_new_name_and_the_old_one_leaves_the_manifest(tmp_path):
    source, store = tmp_path / "static", tmp_path / "store"
    (source / "js").mkdir(parents=True)
    script = source / "js" / "app.js"
    script.write_text("console.log('one');\n" * 50)
    first = build(source, store)
    assert build(source, store) == first  # the same content, the same name
    script.write_text("console.log('two');\n" * 50)
    second = build(source, store)
    assert second["js/app.js"] != first["js/app.js"]
    assert (store / second["js/app.js"]).read_text() == script.read_text()
    assert (store / (second["js/app.js"] + ".gz")).is_file()
    assert set(second) == {"js/app.js"}


def test_a_variant_that_saves_nothing_is_not_kept(tmp_path):
    source, store = tmp_path / "static", tmp_path / "store"
    source.mkdir()
    (source / "tiny.js").write_text("x")
    (source / ".hidden").write_text("secret")
    manifest = build(source, store)
    assert set(manifest) == {"tiny.js"}
    assert not (store / (manifest["tiny.js"] + ".gz")).exists()
