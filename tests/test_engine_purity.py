"""The purity rule: game/engine imports no pygame, openai or pydantic."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import game.engine

BANNED = ("pygame", "openai", "pydantic")
ENGINE_DIR = Path(game.engine.__file__).parent


def banned_imports(source: str) -> list[str]:
    """Top-level module names from BANNED that ``source`` imports, anywhere in the file."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in BANNED]
    return found


def test_scanner_catches_banned_imports() -> None:
    src = "import os\nimport pygame.display\ndef f():\n    from pydantic import BaseModel\n"
    assert banned_imports(src) == ["pygame.display", "pydantic"]
    assert banned_imports("from . import pygame_helpers\nimport pygments\n") == []


def test_engine_sources_import_nothing_banned() -> None:
    files = sorted(ENGINE_DIR.rglob("*.py"))
    assert len(files) >= 10, files
    offenders = {str(p): banned_imports(p.read_text()) for p in files}
    assert not {p: bad for p, bad in offenders.items() if bad}


def test_importing_the_engine_loads_nothing_banned() -> None:
    code = ("import game.engine, sys; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('pygame', 'openai', 'pydantic')); assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
