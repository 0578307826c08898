"""YAML and JSON documents from outside (posted, uploaded, read from a file), parsed within
budgets.

YAML anchors and aliases are refused outright: an alias makes one node stand for another, so
nine nested anchors of nine aliases each turn a few hundred bytes into billions of nodes
("billion laughs"), and no tracker format needs them. The composer also counts nodes and
nesting depth and stops at the first node over either budget, before any Python object is
built. JSON is YAML, so JSON text goes through the same loader; a document already parsed
(a JSON request body) is walked against the same budgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from tracker.domain.errors import InvalidInput, TooLarge

#: Most nodes (scalars, sequences, mappings) a document may hold.
MAX_NODES = 50_000
#: Deepest nesting of sequences and mappings in a document.
MAX_DEPTH = 32
ALIASES_REFUSED = "YAML anchors and aliases are not accepted."


class StrictLoader(Composer, CParser, SafeConstructor, Resolver):
    """`yaml.SafeLoader`'s reading of YAML, parsed by libyaml, composed here: anchors and
    aliases refused, nodes and depth counted (the pure Python scanner takes 25 s on a 2 MiB
    flow sequence; libyaml reaches the node budget of the same file in half a second).

    >>> yaml.load("a: [1, 2]", Loader=StrictLoader)
    {'a': [1, 2]}
    >>> yaml.load("a: &x [1]\\nb: *x", Loader=StrictLoader)
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: YAML anchors and aliases are not accepted (line 1).
    """

    field = "document"

    def __init__(self, stream: Any) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self.nodes = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias or an anchor, count the node, then compose it as usual."""
        event = self.peek_event()
        where = _where(event)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise InvalidInput(f"{ALIASES_REFUSED[:-1]}{where}.",
                               errors={self.field: [ALIASES_REFUSED]})
        self.nodes += 1
        self.depth += 1
        try:
            check_budget(self.nodes, self.depth, self.field, where)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _where(event: Any) -> str:
    """Where an event starts, as people count lines."""
    mark = getattr(event, "start_mark", None)
    return f" (line {mark.line + 1})" if mark is not None else ""


def load_document(text: str, *, field: str = "document", what: str = "document",
                  loader_class: type[StrictLoader] = StrictLoader) -> Any:
    """The value of one YAML or JSON document, or InvalidInput keyed by `field`: not YAML,
    an anchor or alias, more than `MAX_NODES` nodes or deeper than `MAX_DEPTH`.

    >>> load_document('{"code": "x", "axes": []}')
    {'code': 'x', 'axes': []}
    """
    loader = loader_class(text)
    loader.field = field
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        raise InvalidInput(f"The {what} is neither YAML nor JSON: {error}",
                           errors={field: [str(error)]}) from None
    finally:
        loader.dispose()


def check_tree(value: Any, *, field: str = "document") -> None:
    """InvalidInput unless an already parsed document (JSON) keeps within the node and depth
    budgets; walked without recursion.

    >>> check_tree({"a": [1, {"b": 2}]})
    >>> check_tree([[[[1]]]], field="content") is None
    True
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        node, depth = stack.pop()
        nodes += 1
        check_budget(nodes, depth, field)
        children = node.values() if isinstance(node, Mapping) else (
            node if isinstance(node, list | tuple) else ())
        stack.extend((child, depth + 1) for child in children)


def check_budget(nodes: int, depth: int, field: str, where: str = "") -> None:
    """InvalidInput once a document has more nodes or deeper nesting than allowed.

    >>> check_budget(MAX_NODES, MAX_DEPTH, "document")
    >>> check_budget(1, MAX_DEPTH + 1, "document")
    Traceback (most recent call last):
    ...
    tracker.domain.errors.InvalidInput: The document is nested deeper than 32 levels.
    """
    if nodes > MAX_NODES:
        raise InvalidInput(f"The document holds more than {MAX_NODES:,} nodes{where}.",
                           errors={field: [f"More than {MAX_NODES:,} nodes."]})
    if depth > MAX_DEPTH:
        raise InvalidInput(f"The document is nested deeper than {MAX_DEPTH} levels{where}.",
                           errors={field: [f"Nested deeper than {MAX_DEPTH} levels."]})


def check_size(size: int, limit: int, *, setting: str, what: str = "document",
               hint: str = "") -> None:
    """TooLarge (413) when `size` bytes exceed `limit`; the detail names the limit and the
    setting that raises it (then `hint`, what to do instead), the problem carries `limit`.

    >>> check_size(10, 10, setting="TRACKER_MAX_DOCUMENT_BYTES")
    >>> check_size(11, 10, setting="TRACKER_MAX_DOCUMENT_BYTES")
    Traceback (most recent call last):
    ...
    tracker.domain.errors.TooLarge: The document is larger than the limit of 10 bytes \
(TRACKER_MAX_DOCUMENT_BYTES).
    """
    if size > limit:
        raise TooLarge(f"The {what} is larger than the limit of {format_bytes(limit)} "
                       f"({setting}).{hint and ' ' + hint}", limit=limit)


def format_bytes(size: int) -> str:
    """A byte count as people read it.

    >>> format_bytes(2 * 1024 * 1024), format_bytes(1536), format_bytes(10)
    ('2 MiB (2,097,152 bytes)', '1.5 KiB (1,536 bytes)', '10 bytes')
    """
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:g} {unit} ({size:,} bytes)"
    return f"{size} bytes"
