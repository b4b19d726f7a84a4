"""The layers a newcomer sees in the folders are the layers the code keeps.

Every module's imports are parsed with ``ast`` (function-level imports included) and
checked against the arrows below: a package may import only itself and the packages it
points at, and only the outside libraries its layer is allowed.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GAME = ROOT / "game"

# layer -> the game layers it may import (besides itself)
ARROWS: dict[str, set[str]] = {
    "game.engine": set(),
    "game.commands": {"game.engine"},
    "game.speech": {"game.engine"},
    "game.minds": {"game.engine", "game.speech"},
    "game.scenario": {"game.engine"},
    "game.timeline": {"game.engine"},
    "game.mystery": {"game.engine", "game.commands", "game.speech"},
    "game.chronicle": {"game.engine", "game.speech"},
    "game.session": {"game.engine", "game.commands", "game.minds", "game.scenario",
                     "game.mystery", "game.timeline", "game.views", "game.digest"},
    "game.digest": {"game.engine", "game.commands", "game.mystery", "game.session"},
    "game.views": {"game.engine", "game.commands", "game.mystery", "game.session"},
    "game.records": {"game", "game.session", "game.chronicle"},
    "game.textplay": {"game.session", "game.records"},
    "game.ui": {"game.session", "game.records"},
    "game.cli": {"game.session", "game.records", "game.textplay", "game.ui"},
    "game.__main__": {"game.cli"},
    "game": set(),
}

# outside libraries each layer may use; the standard library is always allowed
LIBRARIES: dict[str, set[str]] = {
    "game.engine": set(),
    "game.commands": set(),
    "game.mystery": set(),
    "game.speech": set(),
    "game.chronicle": set(),
    "game.views": set(),
    "game.digest": set(),
    "game.timeline": {"msgpack"},
    "game.minds": {"openai", "pydantic", "pydantic_core", "httpx", "tenacity"},
    "game.scenario": {"pydantic", "pydantic_core"},
    "game.session": set(),
    "game.records": {"msgpack", "pydantic", "pydantic_core", "platformdirs"},
    "game.textplay": set(),
    "game.ui": {"pygame", "pygame_gui", "platformdirs"},
    "game.cli": {"rich"},
    "game.__main__": set(),
    "game": set(),
}


def layer_of(module: str) -> str:
    """The longest key of ARROWS that ``module`` is, or lies inside."""
    best = ""
    for layer in ARROWS:
        if (module == layer or module.startswith(layer + ".")) and len(layer) > len(best):
            best = layer
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import, relative ones resolved against the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "game" or (node.level and not node.module):
                out += [(node.lineno, f"{target}.{alias.name}") for alias in node.names]
            else:
                out.append((node.lineno, target))
    return out


def is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names or name == "__future__"


MODULES = sorted(GAME.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_imports_follow_the_layers(path: Path) -> None:
    me = module_name(path)
    layer = layer_of(me)
    assert layer, f"{me} is in no layer: add it to ARROWS in {__file__}"
    allowed = ARROWS[layer] | {layer}
    problems = []
    for line, name in imports_of(path):
        if name == "game" or name.startswith("game."):
            target = layer_of(name)
            if target not in allowed:
                problems.append(f"line {line}: {layer} may not import {name} ({target})")
        elif not is_stdlib(name) and name.split(".")[0] not in LIBRARIES[layer]:
            problems.append(f"line {line}: {layer} may not use the library {name}")
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_every_module_is_checked() -> None:
    """The table covers the whole tree, so a new package must be placed in a layer."""
    assert len(MODULES) > 50
    assert all(layer_of(module_name(p)) for p in MODULES)


def test_the_checker_catches_an_upward_import(tmp_path: Path) -> None:
    """The rule can fail: an engine module importing the session is caught."""
    bad = GAME / "engine" / "_layer_probe.py"
    bad.write_text("from game.session import GameSession\nimport pygame\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="may not import game.session"):
            test_module_imports_follow_the_layers(bad)
    finally:
        bad.unlink()
