"""Static files under content-hash names, precompressed, cached by browsers for a year.

At start-up every file of the static folder is copied once into a content-addressed store
(`<instance>/static-build/js/charts.1a2b3c4d5e6f.js`) with its gzip and brotli variants, and
`url_for('static', filename='js/charts.js')` gives that fingerprinted name. WhiteNoise serves
the store in front of Flask: a fingerprinted name never changes content, so it is cached
`immutable` for a year, and the variant the client accepts (`br`, `gzip`) is sent as is. The
plain names still answer (`no-cache`) for whatever links them directly; an unknown or old
hash falls through to Flask's static route, which answers 404.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

#: How long a browser keeps a fingerprinted file: a year, the most HTTP caches honour.
ONE_YEAR = 31_536_000
#: Hex digits of the SHA-256 of a file's content kept in its fingerprinted name.
HASH_LENGTH = 12
#: A variant is kept only when it saves this share of the bytes at least.
WORTH_COMPRESSING = 0.95


class _YearLongNoise(WhiteNoise):
    """WhiteNoise whose `immutable` files are cached a year (its default is ten)."""

    FOREVER = ONE_YEAR


def fingerprinted(name: str, content: bytes) -> str:
    """`name` with the first digits of its content's SHA-256 before the extension.

    >>> fingerprinted("js/charts.js", b"x")
    'js/charts.2d711642b726.js'
    >>> fingerprinted("LICENSE", b"x")
    'LICENSE.2d711642b726'
    """
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, _, file = name.rpartition("/")
    stem, dot, extension = file.rpartition(".")
    hashed = f"{stem}.{digest}.{extension}" if dot and stem else f"{file}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def _write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file, so that a worker starting at the
    same time never serves a half-written file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)


def _store(target: Path, data: bytes, compressor: Compressor) -> None:
    """Put one file in the store with the compressed variants worth keeping; the file itself
    is written last, so its presence means its variants are there too."""
    if compressor.should_compress(target.name):
        variants = {".gz": compressor.compress_gzip}
        if compressor.use_brotli:
            variants[".br"] = compressor.compress_brotli
        for suffix, compress in variants.items():
            packed = compress(data)
            if len(packed) < len(data) * WORTH_COMPRESSING:
                _write_atomically(target.with_name(target.name + suffix), packed)
    _write_atomically(target, data)


def build(source: Path, store: Path) -> dict[str, str]:
    """Copy every file of `source` into `store` under its fingerprinted name (once: a name
    already there has the same content by construction); the names, plain to fingerprinted."""
    compressor = Compressor(quiet=True)
    manifest: dict[str, str] = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        data = path.read_bytes()
        name = path.relative_to(source).as_posix()
        manifest[name] = fingerprinted(name, data)
        target = store / manifest[name]
        if not target.is_file():
            _store(target, data, compressor)
    return manifest


def _writable_store(app: Flask) -> Path:
    """The instance folder's `static-build`, or a temporary folder where the instance
    folder is read-only (a container's image)."""
    store = Path(app.instance_path) / "static-build"
    try:
        store.mkdir(parents=True, exist_ok=True)
        if os.access(store, os.W_OK):
            return store
    except OSError:
        pass
    return Path(tempfile.gettempdir()) / f"tracker-static-build-{os.getuid()}"


def _fingerprint_urls(manifest: Mapping[str, str]) -> Callable[[str, dict[str, Any]], None]:
    """A `url_defaults` hook turning `url_for('static', filename=name)` into the name's
    fingerprinted URL (names outside the manifest are left as they are)."""

    def hook(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    return hook


def _served(app: Flask, manifest: Mapping[str, str], store: Path) -> WhiteNoise:
    """WhiteNoise over the app, answering the fingerprinted names (immutable, a year) and
    the plain ones (`no-cache`) from the store, with `nosniff` like every other response."""
    prefix = (app.static_url_path or "/static").rstrip("/") + "/"
    hashed = {prefix + name for name in manifest.values()}

    def headers(found: Any, _path: str, url: str) -> None:
        found["X-Content-Type-Options"] = "nosniff"
        if url not in hashed:
            found["Cache-Control"] = "no-cache"

    served = _YearLongNoise(app.wsgi_app, max_age=None, allow_all_origins=False,
                            add_headers_function=headers,
                            immutable_file_test=lambda _path, url: url in hashed)
    for name, stored in manifest.items():
        for url in (prefix + name, prefix + stored):
            served.add_file_to_dictionary(url, str(store / stored))
    return served


def init_app(app: Flask) -> None:
    """Build the store from the static folder, fingerprint the static URLs, serve them."""
    if not app.static_folder:
        return
    store = _writable_store(app)
    manifest = build(Path(app.static_folder), store)
    app.extensions["tracker_assets"] = manifest
    app.url_defaults(_fingerprint_urls(manifest))
    app.wsgi_app = _served(app, manifest, store)  # type: ignore[method-assign]
