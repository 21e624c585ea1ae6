"""The team sync uses the local store only through its public API.

Every module under bng_desktop/sync is parsed, and each import that reaches
into bng_desktop.store must name something the store package exports
(``bng_desktop.store.__all__``), never one of its modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import bng_desktop.store
import bng_desktop.sync

STORE = "bng_desktop.store"
SYNC_DIR = Path(bng_desktop.sync.__file__).parent
PUBLIC = frozenset(bng_desktop.store.__all__)


def private_store_imports(source: str, module: str) -> list[str]:
    """Each import in ``source`` (the text of ``module``) that bypasses the store's API."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"line {node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.startswith(STORE + ".")
            ]
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module)
            if target.startswith(STORE + "."):
                found.append(f"line {node.lineno}: from {target} import ...")
            elif target == STORE:
                found += [
                    f"line {node.lineno}: from {STORE} import {alias.name} (not exported)"
                    for alias in node.names
                    if alias.name not in PUBLIC
                ]
    return found


def _absolute(node: ast.ImportFrom, module: str) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".")[: -node.level]
    return ".".join([*package, *([node.module] if node.module else [])])


def sync_modules() -> list[tuple[str, Path]]:
    root = SYNC_DIR.parent.parent
    return [
        (".".join(path.relative_to(root).with_suffix("").parts), path)
        for path in sorted(SYNC_DIR.rglob("*.py"))
    ]


def test_the_sync_package_has_modules_to_check():
    names = {name for name, _ in sync_modules()}
    assert {"bng_desktop.sync.pull", "bng_desktop.sync.outbox", "bng_desktop.sync.team"} <= names


@pytest.mark.parametrize("module, path", sync_modules(), ids=lambda v: str(v))
def test_sync_imports_only_the_public_store_api(module, path):
    assert private_store_imports(path.read_text(encoding="utf-8"), module) == []


@pytest.mark.parametrize(
    "source",
    [
        "from ..store.tables import SyncLog",
        "from ..store import tables",
        "from ..store import Store, insert_version",
        "from bng_desktop.store.codec import dumps",
        "import bng_desktop.store.sqlite",
        "def f():\n    from ..store.references import make_current\n",
    ],
)
def test_the_check_catches_a_private_import(source):
    assert private_store_imports(source, "bng_desktop.sync.pull")


def test_the_check_lets_public_names_and_other_packages_through():
    source = (
        "from ..store import Store, Outbox, dumps\n"
        "from bng_desktop.store import PulledVersions\n"
        "from ..core.model import ReferenceData\n"
        "from .schema import quote\n"
        "import bng_desktop.store\n"
    )
    assert private_store_imports(source, "bng_desktop.sync.pull") == []


def test_every_exported_name_exists():
    missing = [name for name in PUBLIC if not hasattr(bng_desktop.store, name)]
    assert missing == []
