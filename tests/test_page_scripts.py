"""The page scripts themselves: nothing shows up on a page that the page did not ask for."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_bare_expression_but_docstrings(script: Path) -> None:
    """Streamlit's "magic" would write a bare string or value onto the page (an attribute
    docstring once showed up above the overview's title)."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    docstrings = {id(body[0]) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and (body := node.body)}
    stray = [node.lineno for node in ast.walk(tree)
             if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Await))
             and id(node) not in docstrings]
    assert stray == [], f"{script.name}: bare expressions on lines {stray}"


def test_magic_is_off() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
