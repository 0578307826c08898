"""Read the official OWASP SAMM v2 model folder into a tracker framework dict.

The model is a folder of YAML files, one record per file, linked by ids::

    business_functions  ← security_practices.function
    security_practices  ← streams.practice, practice_levels.practice
    maturity_levels     ← practice_levels.maturityLevel
    streams, practice_levels ← activities.stream, activities.level
    activities, answer_sets  ← questions.activity, questions.answerSet

Mapping to tracker (DESIGN section 5):

- business function → axis, code = the function's name in lower case (`governance`);
- security practice → dimension, code = function initial + `-` + short name (`G-SM`),
  level descriptors = the practice level objectives;
- question → question of its practice, code = practice code, stream letter, maturity level
  (`G-SM-A-1`), with its stream letter and its answer set as `[{text, value}]`. Codes come
  from the links, never from file names (which put the level first: `G-SM-1-A.yml`);
- scale = 0 plus the model's maturity levels (1, 2, 3), `question_rule: samm`;
- code `owasp-samm`; tracker versions are integers, so the SAMM release `major.minor`
  becomes `major * 100 + minor` (v2.2 → 202): unique per release and in release order.

Everything is ordered by the model's `order` fields. A missing folder, an unreadable file or
a broken reference raises `InvalidInput` whose `errors` name each file (relative to the
model folder) with what is wrong, every problem at once.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from tracker.adapters.importers.documents import StrictLoader, load_document
from tracker.domain.errors import InvalidInput

CODE = "owasp-samm"
DEFAULT_RELEASE = "2.2"

# folder → (document type, required keys)
FOLDERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "business_functions": ("Function", ("id", "name", "order")),
    "security_practices": ("Practice", ("id", "function", "name", "shortName", "order")),
    "streams": ("Stream", ("id", "practice", "letter", "order")),
    "maturity_levels": ("MaturityLevel", ("id", "number")),
    "practice_levels": ("PracticeLevel", ("id", "practice", "maturityLevel")),
    "activities": ("Activity", ("id", "stream", "level")),
    "answer_sets": ("AnswerSet", ("id", "values")),
    "questions": ("Question", ("id", "activity", "answerSet", "text")),
}

BOOL_TAG = "tag:yaml.org,2002:bool"

#: Largest uploaded model archive, most entries in it, and most bytes its model's YAML files
#: may hold once uncompressed, all together (the official v2 model is some 300 files and
#: well under 1 MiB).
MAX_ZIP_BYTES = 16 * 1024 * 1024
MAX_ZIP_MEMBERS = 5_000
MAX_MODEL_BYTES = 16 * 1024 * 1024


class SammLoader(StrictLoader):
    """`StrictLoader` (no anchors or aliases, a node budget) with YAML 1.2 booleans: only
    true/false are booleans.

    SAMM's answer sets say `text: No`, which YAML 1.1 reads as the boolean false.

    >>> yaml.load("text: No", Loader=SammLoader), yaml.safe_load("text: No")
    ({'text': 'No'}, {'text': False})
    """


SammLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
SammLoader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))

#: The model's YAML texts: subfolder → file name → text.
ModelFiles = dict[str, dict[str, str]]

ZERO_LEVEL = {"value": 0, "label": "None",
              "descriptor": "None of the practice's activities is in place."}


@dataclass(frozen=True, slots=True)
class _Record:
    """One YAML file of the model: its path relative to the model folder and its content."""

    path: str
    data: dict[str, Any]

    def ref(self, key: str) -> str:
        """The id this record links to under `key` (ids are compared as strings)."""
        return str(self.data[key])


class _Problems:
    """Problems found while reading, by file; raised together at the end."""

    def __init__(self) -> None:
        self.by_file: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_file.setdefault(path, []).append(message)

    def raise_any(self) -> None:
        if not self.by_file:
            return
        path, messages = next(iter(self.by_file.items()))
        more = sum(len(m) for m in self.by_file.values()) - 1
        detail = f"Invalid SAMM model: {path}: {messages[0]}"
        if more:
            detail += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise InvalidInput(detail, errors=self.by_file)


def version_number(release: str) -> int:
    """Tracker's integer version of a SAMM release `major.minor`.

    >>> version_number("2.2"), version_number("2.0"), version_number("3.10")
    (202, 200, 310)
    """
    match = re.fullmatch(r"(\d+)\.(\d+)", release.strip())
    if match is None or int(match[2]) > 99:
        raise InvalidInput(f"SAMM release {release!r} is not major.minor",
                           errors={"release": ["Expected major.minor, e.g. 2.2."]})
    return int(match[1]) * 100 + int(match[2])


def axis_code(function_name: str) -> str:
    """A business function's axis code: its name in lower case.

    >>> axis_code("Governance"), axis_code("Secure Operations")
    ('governance', 'secure-operations')
    """
    return re.sub(r"[^a-z0-9]+", "-", function_name.lower()).strip("-")


def _read_folders(root: Path, problems: _Problems) -> ModelFiles:
    """The model's YAML texts read from a folder on disk, by subfolder then file name; a
    file that cannot be read is a problem, a subfolder that does not exist is left out."""
    files: ModelFiles = {}
    for folder in FOLDERS:
        directory = root / folder
        if not directory.is_dir():
            continue
        texts = files.setdefault(folder, {})
        for file in sorted(directory.iterdir()):
            if file.suffix not in (".yml", ".yaml") or file.name.startswith("."):
                continue
            try:
                texts[file.name] = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.add(f"{folder}/{file.name}", f"cannot be read: {exc}")
    return files


def _load_folder(files: ModelFiles, folder: str, problems: _Problems) -> dict[str, _Record]:
    kind, required = FOLDERS[folder]
    records: dict[str, _Record] = {}
    if folder not in files:
        problems.add(folder, "folder is missing")
        return records
    for name, text in sorted(files[folder].items()):
        path = f"{folder}/{name}"
        try:
            data = load_document(text, field=path, what="file", loader_class=SammLoader)
        except InvalidInput as exc:
            problems.add(path, f"cannot be read: {exc}")
            continue
        if not isinstance(data, dict):
            problems.add(path, f"is not a {kind} record")
            continue
        if data.get("type") not in (None, kind):
            problems.add(path, f"has type {data['type']!r}, expected {kind!r}")
            continue
        missing = [key for key in required if data.get(key) is None]
        if missing:
            problems.add(path, f"lacks {', '.join(missing)}")
            continue
        if not _is_number(data.get("order", 0)):
            problems.add(path, f"order must be a number, not {data['order']!r}")
            continue
        record = _Record(path, data)
        key = record.ref("id")
        if key in records:
            problems.add(path, f"repeats id {key} of {records[key].path}")
            continue
        records[key] = record
    return records


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_refs(records: Mapping[str, _Record], key: str, targets: Mapping[str, _Record],
                what: str, problems: _Problems) -> None:
    for record in records.values():
        if record.ref(key) not in targets:
            problems.add(record.path, f"{key} refers to missing {what} {record.ref(key)}")


def _load_model(files: ModelFiles, problems: _Problems) -> dict[str, dict[str, _Record]]:
    model = {folder: _load_folder(files, folder, problems) for folder in FOLDERS}
    links = [("security_practices", "function", "business_functions", "business function"),
             ("streams", "practice", "security_practices", "security practice"),
             ("practice_levels", "practice", "security_practices", "security practice"),
             ("practice_levels", "maturityLevel", "maturity_levels", "maturity level"),
             ("activities", "stream", "streams", "stream"),
             ("activities", "level", "practice_levels", "practice level"),
             ("questions", "activity", "activities", "activity"),
             ("questions", "answerSet", "answer_sets", "answer set")]
    for folder, key, target, what in links:
        _check_refs(model[folder], key, model[target], what, problems)
    problems.raise_any()
    for activity in model["activities"].values():
        stream = model["streams"][activity.ref("stream")]
        level = model["practice_levels"][activity.ref("level")]
        if stream.ref("practice") != level.ref("practice"):
            problems.add(activity.path, f"stream {stream.ref('id')} and practice level "
                                        f"{level.ref('id')} belong to different practices")
    problems.raise_any()
    return model


def _order(record: _Record, *tie: str) -> tuple[Any, ...]:
    return (record.data.get("order", 0), *(str(record.data.get(t, "")) for t in tie))


def _children(records: Mapping[str, _Record], key: str) -> dict[str, list[_Record]]:
    """Records grouped by the id they link to under `key`."""
    grouped: dict[str, list[_Record]] = {}
    for record in records.values():
        grouped.setdefault(record.ref(key), []).append(record)
    return grouped


class _Model:
    """The loaded model, with its records indexed by the ids they link to."""

    def __init__(self, records: dict[str, dict[str, _Record]], problems: _Problems) -> None:
        self.records = records
        self.problems = problems
        self.numbers = _level_numbers(records["maturity_levels"], problems)
        self.practices_of = _children(records["security_practices"], "function")
        self.streams_of = _children(records["streams"], "practice")
        self.levels_of = _children(records["practice_levels"], "practice")
        self.activities_of = _children(records["activities"], "stream")
        self.questions_of = _children(records["questions"], "activity")

    def level_number(self, practice_level_id: str) -> int | None:
        level = self.records["practice_levels"][practice_level_id]
        return self.numbers.get(level.ref("maturityLevel"))


def _answers(answer_set: _Record, problems: _Problems) -> list[dict[str, Any]]:
    values = answer_set.data["values"]
    if not isinstance(values, list) or not values:
        problems.add(answer_set.path, "values must be a non-empty list")
        return []
    answers = []
    for index, answer in enumerate(values):
        if not isinstance(answer, dict) or answer.get("text") is None \
                or not _is_number(answer.get("value")) \
                or not _is_number(answer.get("order", index)):
            problems.add(answer_set.path,
                         f"answer {index + 1} needs a text, a number value and order")
            continue
        answers.append((answer.get("order", index), index, str(answer["text"]).strip(),
                        float(answer["value"])))
    return [{"text": text, "value": value} for _, _, text, value in sorted(answers)]


def _level_numbers(levels: Mapping[str, _Record], problems: _Problems) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for key, level in levels.items():
        number = level.data["number"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.add(level.path, f"number must be a positive integer, not {number!r}")
        elif number in numbers.values():
            problems.add(level.path, f"repeats maturity level number {number}")
        else:
            numbers[key] = number
    return numbers


def _scale(model: _Model) -> list[dict[str, Any]]:
    levels = sorted((model.numbers[key], str(rec.data.get("description") or "").strip())
                    for key, rec in model.records["maturity_levels"].items()
                    if key in model.numbers)
    return [dict(ZERO_LEVEL)] + [{"value": n, "label": f"Level {n}", "descriptor": text}
                                 for n, text in levels]


def _questions(model: _Model, practice_code: str, stream: _Record) -> list[dict[str, Any]]:
    letter = str(stream.data["letter"]).strip()
    activities = []
    for activity in model.activities_of.get(stream.ref("id"), []):
        number = model.level_number(activity.ref("level"))
        if number is not None:
            activities.append((number, activity.path, activity))
    result = []
    for number, _, activity in sorted(activities, key=lambda item: item[:2]):
        asked = sorted(model.questions_of.get(activity.ref("id"), []),
                       key=lambda q: _order(q, "id"))
        for index, question in enumerate(asked, start=1):
            code = f"{practice_code}-{letter}-{number}"
            if len(asked) > 1:  # several questions for one activity: number them
                code += f"-{index}"
            answer_set = model.records["answer_sets"][question.ref("answerSet")]
            result.append({"code": code, "text": str(question.data["text"]).strip(),
                           "stream": letter, "answers": _answers(answer_set, model.problems)})
    return result


def _dimension(model: _Model, function: _Record, practice: _Record) -> dict[str, Any]:
    initial = str(function.data["name"]).strip()[:1].upper()
    code = f"{initial}-{str(practice.data['shortName']).strip()}"
    streams = sorted(model.streams_of.get(practice.ref("id"), []),
                     key=lambda s: _order(s, "letter"))
    levels = {}
    for practice_level in model.levels_of.get(practice.ref("id"), []):
        number = model.level_number(practice_level.ref("id"))
        if number is not None:
            levels[number] = str(practice_level.data.get("objective") or "").strip()
    return {"code": code, "name": str(practice.data["name"]).strip(), "weight": 1,
            "description": str(practice.data.get("shortDescription") or "").strip(),
            "levels": dict(sorted(levels.items())),
            "questions": [q for stream in streams for q in _questions(model, code, stream)]}


def _axis(model: _Model, function: _Record) -> dict[str, Any]:
    name = str(function.data["name"]).strip()
    practices = sorted(model.practices_of.get(function.ref("id"), []),
                       key=lambda p: _order(p, "shortName"))
    return {"code": axis_code(name), "name": name, "weight": 1,
            "description": str(function.data.get("description") or "").strip(),
            "dimensions": [_dimension(model, function, p) for p in practices]}


def _check_unique_codes(axes: list[dict[str, Any]], problems: _Problems) -> None:
    seen: set[str] = set()
    codes = [a["code"] for a in axes] + [d["code"] for a in axes for d in a["dimensions"]] \
        + [q["code"] for a in axes for d in a["dimensions"] for q in d["questions"]]
    for code in codes:
        if code in seen:
            problems.add("model", f"two records give the same code {code}")
        seen.add(code)


def read_samm_model(folder: Path | str, *, release: str = DEFAULT_RELEASE) -> dict[str, Any]:
    """Read an OWASP SAMM v2 `model/` folder into a framework dict in tracker's format.

    Parameters
    ----------
    folder : the model folder (holding `business_functions/`, `security_practices/`...)
    release : the SAMM release the files are from (the files do not say); gives the name
        and the integer version (`2.2` → 202)

    Raises
    ------
    InvalidInput : the folder or one of its subfolders is missing, a file cannot be read or
        lacks a field, or an id points to no record; `errors` names every file at fault

    Examples
    --------
    >>> read_samm_model("/nonexistent/model")
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: SAMM model folder not found: /nonexistent/model
    """
    root = Path(folder)
    if not root.is_dir():
        raise InvalidInput(f"SAMM model folder not found: {root}",
                           errors={"folder": [f"{root} is not a folder."]})
    problems = _Problems()
    return _framework(_read_folders(root, problems), problems, release)


def read_samm_zip(data: bytes, *, release: str = DEFAULT_RELEASE) -> dict[str, Any]:
    """Read an OWASP SAMM v2 model uploaded as a zip archive, as `read_samm_model` reads
    the folder: the archive holds the model's subfolders (`business_functions/`...) at its
    top or under one folder (`model/`, `core-2.2/model/`).

    Nothing is extracted to disk. The archive is refused as a whole (`InvalidInput` on
    `zip`) when it is larger than `MAX_ZIP_BYTES`, holds more than `MAX_ZIP_MEMBERS`
    entries, has an entry whose name is absolute or climbs out (`..`), a link, or YAML
    files of the model over `MAX_MODEL_BYTES` once uncompressed; only the YAML files of the
    model's subfolders are read, the rest is ignored.

    >>> read_samm_zip(b"not a zip")
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: The file is not a zip archive.
    """
    version_number(release)
    problems = _Problems()
    return _framework(zip_model_files(data, problems), problems, release)


def zip_model_files(data: bytes, problems: _Problems) -> ModelFiles:
    """The model's YAML texts in a zip archive, read in memory within the budgets; a
    YAML file that is not UTF-8 is a problem of its own."""
    archive = _open_zip(data)
    members = _model_members(archive)
    files: ModelFiles = {}
    budget = MAX_MODEL_BYTES
    for info, folder, name in members:
        raw = _read_member(archive, info, budget)
        budget -= len(raw)
        try:
            files.setdefault(folder, {})[name] = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            problems.add(f"{folder}/{name}", f"cannot be read: {exc}")
    return files


def _zip_refused(message: str) -> InvalidInput:
    return InvalidInput(message, errors={"zip": [message]})


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The archive, if it is one within the size and entry budgets."""
    if len(data) > MAX_ZIP_BYTES:
        raise _zip_refused(f"The archive is larger than {MAX_ZIP_BYTES // (1024 * 1024)} MiB.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _zip_refused("The file is not a zip archive.") from None
    if len(archive.infolist()) > MAX_ZIP_MEMBERS:
        raise _zip_refused(f"The archive holds more than {MAX_ZIP_MEMBERS:,} entries.")
    return archive


def _unsafe_name(info: zipfile.ZipInfo) -> bool:
    """An entry whose name is absolute, climbs out of the archive, or that is a link."""
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    mode = info.external_attr >> 16
    return (name.startswith(("/", "\\")) or ".." in parts or (bool(parts) and ":" in parts[0])
            or stat.S_ISLNK(mode))


def _model_members(archive: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str, str]]:
    """The YAML entries of the model's subfolders, all under one common folder, with their
    subfolder and file name; the archive is refused on an unsafe entry name."""
    unsafe = [info.filename for info in archive.infolist() if _unsafe_name(info)]
    if unsafe:
        raise _zip_refused(f"The archive holds an entry outside its folder: {unsafe[0]!r}.")
    found: dict[tuple[str, ...], list[tuple[zipfile.ZipInfo, str, str]]] = {}
    for info in archive.infolist():
        path = PurePosixPath(info.filename)
        if info.is_dir() or path.suffix not in (".yml", ".yaml") or path.name.startswith("."):
            continue
        if len(path.parts) >= 2 and path.parts[-2] in FOLDERS:
            found.setdefault(path.parts[:-2], []).append((info, path.parts[-2], path.name))
    if not found:
        raise _zip_refused("The archive holds no SAMM model (no business_functions/ folder "
                           "of YAML files).")
    if len(found) > 1:
        roots = sorted("/".join(root) or "." for root in found)
        raise _zip_refused(f"The archive holds several SAMM models: {', '.join(roots)}.")
    return next(iter(found.values()))


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """One entry's bytes, refusing the archive once the model's budget is spent."""
    too_large = _zip_refused(f"The model's YAML files hold more than "
                             f"{MAX_MODEL_BYTES // (1024 * 1024)} MiB once uncompressed.")
    if info.file_size > budget:
        raise too_large
    try:
        with archive.open(info) as member:
            raw = member.read(budget + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError,
            zlib.error) as exc:
        raise _zip_refused(f"The archive entry {info.filename!r} cannot be read: "
                           f"{exc}.") from None
    if len(raw) > budget:
        raise too_large
    return raw


def _framework(files: ModelFiles, problems: _Problems, release: str) -> dict[str, Any]:
    """The framework dict of the model whose YAML texts are `files`."""
    version = version_number(release)
    model = _Model(_load_model(files, problems), _Problems())
    functions = sorted(model.records["business_functions"].values(),
                       key=lambda f: _order(f, "name"))
    axes = [_axis(model, function) for function in functions]
    _check_unique_codes(axes, model.problems)
    model.problems.raise_any()
    name = release.strip()
    return {"code": CODE, "name": f"OWASP SAMM v{name}", "version": version,
            "description": (f"OWASP Software Assurance Maturity Model v{name}, read from the "
                            "official model files (OWASP Foundation, CC BY-SA 4.0)."),
            "scale": _scale(model), "question_rule": "samm", "axes": axes}
