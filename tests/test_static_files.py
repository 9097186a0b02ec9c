"""Our own JavaScript and CSS are real files under ``src/nightmap/static``: their syntax is checked with
Node.js, the package publishes each of them, and no JavaScript function is written inside a Python string."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from nightmap import assets
from nightmap.map import elements

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nightmap"
JS_FILES = sorted((PACKAGE / "static" / "js").glob("*.js"))


def test_the_static_folder_holds_the_shared_files() -> None:
    names = {p.name for p in JS_FILES}
    assert {"labels.js", "player.js"} <= names
    assert set(assets.own_files()) >= {f"js/{n}" for n in names} | {"css/player.css"}


@pytest.mark.parametrize("path", JS_FILES, ids=lambda p: p.name)
def test_javascript_parses(path: Path) -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:  # scripts/setup.sh --test installs nodejs, so CI always runs this
        pytest.skip("Node.js is not installed: `apt-get install nodejs` to check the JavaScript's syntax")
    done = subprocess.run([node, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_node_check_catches_a_syntax_error(tmp_path: Path) -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed")
    bad = tmp_path / "bad.js"
    bad.write_text("function (a { return a; }\n", encoding="utf-8")
    assert subprocess.run([node, "--check", str(bad)], capture_output=True, timeout=60).returncode != 0


def test_no_javascript_function_inside_python() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\bfunction\s*\w*\s*\([^)]*\)\s*\{|=>\s*\{", line):
                found.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert found == [], "JavaScript written in Python strings:\n" + "\n".join(found)


def test_the_scripts_inlined_into_a_map_parse_together(tmp_path: Path) -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed")
    joined = tmp_path / "map.js"
    joined.write_text(elements.map_script(), encoding="utf-8")
    assert "nightmap label placement" not in joined.read_text(encoding="utf-8")  # header comments left out
    assert "root.nmLabels = {place: place" in joined.read_text(encoding="utf-8")
    done = subprocess.run([node, "--check", str(joined)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_labels_thin_shows_each_fixed_name_only_where_it_collides_with_nothing() -> None:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("Node.js is not installed")
    script = (
        "globalThis.window = globalThis;"
        f"require({json.dumps(str(PACKAGE / 'static' / 'js' / 'labels.js'))});"
        "const boxes = [[0, 0, 50, 10], [40, 5, 90, 15], [100, 0, 150, 10], [200, 0, 250, 10]];"
        "const avoid = [[210, 2, 220, 8]];"
        "console.log(JSON.stringify(window.nmLabels.thin(boxes, avoid)));"
    )
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    # the second overlaps the first; the fourth lies under a box to avoid
    assert json.loads(done.stdout) == [0, 2]
