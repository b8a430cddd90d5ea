"""Run every script of examples/ as a user would, so that none rots.

Each script runs in a subprocess (matplotlib's Agg backend, a temporary
working directory) and must exit cleanly and save its pictures into the
directory it is given; without matplotlib it must say so instead. Scripts
that read the riboflavin data run a second time with the data missing, to
cover their generated fallback.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

import l1l2

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py")) if EXAMPLES.is_dir() else []
HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None

CASES = [pytest.param(script, False, id=script.stem) for script in SCRIPTS] + [
    pytest.param(script, True, id=f"{script.stem}-generated-data")
    for script in SCRIPTS if "L1L2_RIBOFLAVIN" in script.read_text()
]


def example_env(tmp_path, without_riboflavin):
    env = dict(os.environ, MPLBACKEND="Agg")
    # The tested l1l2, importable from the temporary working directory.
    package_root = str(Path(l1l2.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(
        [package_root, *filter(None, [os.environ.get("PYTHONPATH")])])
    if without_riboflavin:
        env["L1L2_RIBOFLAVIN"] = str(tmp_path / "no-such-file.npz")
    return env


def test_examples_exist():
    if not EXAMPLES.is_dir():
        pytest.skip("not run from a source tree")
    names = {script.name for script in SCRIPTS}
    assert {"plot_regularization_path.py", "plot_bias_variance.py",
            "plot_l1_vs_l2.py", "plot_feature_selection.py"} <= names


@pytest.mark.parametrize(("script", "without_riboflavin"), CASES)
def test_example_runs_and_saves_its_pictures(script, without_riboflavin, tmp_path):
    out = tmp_path / "pictures"
    out.mkdir()
    # The house style: --out DIR, or (older scripts) the directory as argument.
    args = ["--out", str(out)] if "--out" in script.read_text() else [str(out)]
    result = subprocess.run(
        [sys.executable, str(script), *args], cwd=tmp_path, capture_output=True,
        text=True, env=example_env(tmp_path, without_riboflavin), timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if without_riboflavin:
        assert "generated" in result.stdout
    pictures = sorted(out.glob("*.png"))
    if not HAS_MATPLOTLIB:
        assert "matplotlib is not installed" in result.stdout
        assert not pictures
        return
    assert pictures, result.stdout
    for picture in pictures:
        assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"saved {picture}" in result.stdout
    # Nothing is left in the working directory.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pictures"]
