"""Strict YAML reading: duplicate keys are errors and every mapping remembers its lines.

PyYAML silently keeps the last of two equal keys; in a file of legal amounts that hides
mistakes, so this loader refuses them. Mappings come back as :class:`LineDict`, a ``dict``
that also knows the line of each key, so that errors can say ``file:line``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sim.common.errors import SimInputError


class LineDict(dict):
    """A dict that remembers the 1-based source line of each key (``.line_of(key)``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}
        self.start_line: int = 0

    def line_of(self, key: Any) -> int:
        """The line where ``key`` is written, or the mapping's own line if unknown."""
        return self.lines.get(key, self.start_line)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys and records key lines (no global hooks)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    mapping.start_line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in mapping:
            raise SimInputError(
                f"{loader.name}:{line}: duplicate key {key!r} "
                f"(first written on line {mapping.lines[key]})"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
    return mapping


def _construct_timestamp(loader: _StrictLoader, node: yaml.ScalarNode) -> Any:
    """PyYAML's dates, with an impossible one (2027-02-30) as one line, not a traceback."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as error:
        raise SimInputError(
            f"{loader.name}:{node.start_mark.line + 1}: {node.value!r} is not a real date ({error})"
        ) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)  # type: ignore[arg-type]
_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def load_yaml(path: str | Path) -> Any:
    """Read one YAML file strictly; any problem becomes one :class:`SimInputError` line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SimInputError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SimInputError(f"{path}: cannot read file ({error})") from None
    return parse_yaml(text, name=str(path))


def parse_yaml(text: str, *, name: str = "<string>") -> Any:
    """Parse YAML text strictly (see :func:`load_yaml`)."""
    loader = _StrictLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = error.problem or error.context or "malformed YAML"
        raise SimInputError(f"{name}{line}: malformed YAML ({problem})") from None
    except yaml.YAMLError as error:
        raise SimInputError(f"{name}: malformed YAML ({error})") from None
    finally:
        loader.dispose()
