"""A policy file: a JSON object of policy settings (``core.policy``), read so
that every number reaches the product's number reader as it was written.

JSON numbers are kept as their text (``1e999999999`` is never turned into a
float, a 10,000-digit integer never into an int), so the reader bounds and
explains them like any other number. Every refusal names the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.errors import PolicyError
from ..core.policy import Policy, policy_from_mapping

MAX_BYTES = 1 << 20
"""A policy file is a few hundred bytes; a megabyte is not a policy file."""


def read_policy_file(path: str | Path, base: Policy | None = None) -> Policy:
    """The policy ``path`` sets, starting from ``base``; PolicyError naming the file."""
    path = Path(path)
    values = policy_values(path)
    try:
        return policy_from_mapping(values, base)
    except PolicyError as refused:
        raise PolicyError(f"{path.name}: {refused}", hint=refused.hint) from None


def policy_values(path: Path) -> dict[str, Any]:
    """The file's settings, numbers as the text written."""
    name = path.name
    try:
        if path.stat().st_size > MAX_BYTES:
            raise PolicyError(f"{name} is too large to be a policy file (at most 1 MB)")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise PolicyError(f"Cannot read the policy file {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise PolicyError(f"{name} is not UTF-8 text; save it as UTF-8") from None
    try:
        values = json.loads(text, parse_float=str, parse_int=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise PolicyError(
            f"{name} line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"
        ) from None
    except RecursionError:
        raise PolicyError(f"{name}: nested too deeply to be a policy file") from None
    if not isinstance(values, dict):
        raise PolicyError(f"{name} must hold a JSON object of policy settings")
    return values
