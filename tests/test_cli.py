"""Tests of the ``l1l2`` command line (``python -m l1l2``)."""

import csv
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import l1l2
from l1l2 import ElasticNetCV, LassoCV, RidgeCV
from l1l2.__main__ import main
from l1l2.plotting import ridge_alphas

FEATURES = ["feature one", "income (k$)", "tiny, with comma", "noise a", "noise b"]
TARGET = "my target"


def write_csv(path, header, rows):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 5)) * [1.0, 10.0, 0.1, 1.0, 1.0]
    y = 3 * X[:, 0] - 0.2 * X[:, 1] + 20 * X[:, 2] + rng.normal(size=60)
    return X, y


@pytest.fixture
def data_csv(tmp_path, data):
    X, y = data
    return write_csv(tmp_path / "data set.csv", [*FEATURES, TARGET],
                     np.column_stack([X, y]).tolist())


@pytest.fixture(autouse=True)
def _agg(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")


def subprocess_env():
    """The environment with the tested l1l2 importable from any directory."""
    env = dict(os.environ, MPLBACKEND="Agg")
    package_root = str(Path(l1l2.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(
        [package_root, *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def printed_number(text, name):
    match = re.search(rf"^{name} = ([-+0-9.eE]+)", text, flags=re.MULTILINE)
    assert match, f"no '{name} = ' line in:\n{text}"
    return float(match.group(1))


HAS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is not None
NO_PICTURES = 'matplotlib is not installed: no pictures (pip install "l1l2[plot]")'


def is_png(path):
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def assert_pictures(out, names, printed):
    """The pictures are PNG files listed in the output, or, without
    matplotlib, absent with a note saying why."""
    if not HAS_MATPLOTLIB:
        assert NO_PICTURES in printed
        assert not list(out.glob("*.png"))
        return
    for name in names:
        assert is_png(out / name)
        assert f"  {out / name}" in printed.splitlines()


# --- fit -------------------------------------------------------------------


def test_fit_lasso_matches_lasso_cv_and_saves_model(data, data_csv, tmp_path, capsys):
    X, y = data
    out = tmp_path / "results"
    assert main(["fit", str(data_csv), "--target", TARGET, "--out", str(out)]) == 0
    printed = capsys.readouterr()
    reference = make_pipeline(StandardScaler(), LassoCV(cv=5)).fit(X, y)
    assert printed_number(printed.out, "alpha") == pytest.approx(
        reference[-1].alpha_, rel=1e-5)
    mean_error = reference[-1].mse_path_[
        np.flatnonzero(reference[-1].alphas_ == reference[-1].alpha_)[0]].mean()
    assert f"CV mean squared error at alpha: {mean_error:.6g}" in printed.out

    # The non-zero coefficients, by name, on the original scale.
    coef = reference[-1].coef_ / reference[0].scale_
    for j in np.flatnonzero(coef):
        assert re.search(rf"^{re.escape(FEATURES[j])}\s+{coef[j]:.6g}\s",
                         printed.out, flags=re.MULTILINE)
    for j in np.flatnonzero(coef == 0):
        assert not re.search(rf"^{re.escape(FEATURES[j])}\s", printed.out,
                             flags=re.MULTILINE)
    listed = re.findall(r"^(feature one|income \(k\$\)|tiny, with comma|noise a"
                        r"|noise b)\s", printed.out, flags=re.MULTILINE)
    effect = np.abs(coef * X.std(axis=0))
    assert listed == [FEATURES[j] for j in np.argsort(-effect) if coef[j] != 0]

    assert_pictures(out, ["path.png", "cv_curve.png"], printed.out)
    model = joblib.load(out / "model.joblib")
    np.testing.assert_allclose(model.predict(X), reference.predict(X), rtol=1e-12)
    assert printed.err == ""


def test_fit_subprocess_with_options(data, data_csv, tmp_path):
    X, y = data
    out = tmp_path / "sub process"
    result = subprocess.run(
        [sys.executable, "-m", "l1l2", "fit", str(data_csv), "--target", TARGET,
         "--cv", "4", "--no-standardize", "--out", str(out)],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    reference = LassoCV(cv=4).fit(X, y)
    assert printed_number(result.stdout, "alpha") == pytest.approx(
        reference.alpha_, rel=1e-5)
    assert "features as given" in result.stdout
    model = joblib.load(out / "model.joblib")
    assert isinstance(model, LassoCV)
    np.testing.assert_allclose(model.predict(X), reference.predict(X), rtol=1e-12)
    assert_pictures(out, ["path.png", "cv_curve.png"], result.stdout)


def test_fit_elastic_net_with_l1_ratios_and_1se_rule(data, data_csv, tmp_path,
                                                     capsys):
    X, y = data
    argv = ["fit", str(data_csv), "--target", TARGET, "--penalty", "elasticnet",
            "--l1-ratio", "0.3", "0.8", "--rule", "1se", "--out", str(tmp_path)]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    reference = make_pipeline(
        StandardScaler(), ElasticNetCV(l1_ratio=[0.3, 0.8], selection_rule="1se")
    ).fit(X, y)[-1]
    assert printed_number(printed, "alpha") == pytest.approx(reference.alpha_, rel=1e-5)
    assert reference.alpha_ == reference.alpha_1se_
    assert printed_number(printed, "l1_ratio") == reference.l1_ratio_
    assert "rule 1se" in printed


def test_fit_ridge_uses_leave_one_out(data, data_csv, tmp_path, capsys):
    X, y = data
    assert main(["fit", str(data_csv), "--target", TARGET, "--penalty", "l2",
                 "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    scaled = StandardScaler().fit_transform(X)
    reference = RidgeCV(alphas=ridge_alphas(scaled), store_cv_results=True).fit(
        scaled, y)
    assert printed_number(printed, "alpha") == pytest.approx(reference.alpha_, rel=1e-5)
    assert "efficient leave-one-out" in printed
    assert "Non-zero coefficients: 5 of 5" in printed
    assert_pictures(tmp_path, ["path.png", "cv_curve.png"], printed)


def test_fit_verbose_reports_progress_on_stderr(data_csv, tmp_path, capsys):
    assert main(["fit", str(data_csv), "--target", TARGET, "--verbose",
                 "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert "fold 1/5" in printed.err
    assert "fold 1/5" not in printed.out
    assert "alpha = " in printed.out


def test_fit_without_matplotlib_still_saves_the_model(data_csv, tmp_path, capsys,
                                                      monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["fit", str(data_csv), "--target", TARGET, "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert NO_PICTURES in printed
    assert (tmp_path / "model.joblib").exists()
    assert not list(tmp_path.glob("*.png"))


# --- bad input ---------------------------------------------------------------

HEADER = ["a", "b c", "y"]
GOOD_ROWS = [[1, 2, 3], [2, 1, 4], [3, 5, 1], [4, 4, 2], [5, 1, 7], [6, 2, 2],
             [7, 3, 3]]


def bad_input_cases(tmp_path):
    """By kind of bad input: (argv, a fragment the error line must contain)."""
    good = write_csv(tmp_path / "good.csv", HEADER, GOOD_ROWS)
    text = write_csv(tmp_path / "text.csv", ["a", "city", "kind", "y"],
                     [[1, "Paris", "x", 2], [2, "Rome", "y", 3]] * 4)
    nan = write_csv(tmp_path / "nan.csv", HEADER,
                    [*GOOD_ROWS[:3], [4, "NaN", 2], *GOOD_ROWS[4:]])
    empty_cell = write_csv(tmp_path / "empty cell.csv", HEADER,
                           [*GOOD_ROWS[:5], ["", 1, 2]])
    two_rows = write_csv(tmp_path / "two.csv", HEADER, GOOD_ROWS[:2])
    ragged = write_csv(tmp_path / "ragged.csv", HEADER, [*GOOD_ROWS, [1, 2]])
    only_target = write_csv(tmp_path / "only.csv", ["y"], [[1]] * 8)
    (tmp_path / "empty.csv").write_text("")
    duplicated = write_csv(tmp_path / "dup.csv", ["a", "a", "y"], GOOD_ROWS)
    header_only = write_csv(tmp_path / "header.csv", HEADER, [])
    fit_good = ["fit", str(good), "--target", "y"]
    return {
        "missing file": (
            ["fit", str(tmp_path / "missing.csv"), "--target", "y"], "no such file"),
        "unknown target": (
            ["fit", str(good), "--target", "z"],
            f"no column 'z' in {good}; the columns are: 'a', 'b c', 'y'"),
        "non-numeric columns": (
            ["fit", str(text), "--target", "y"],
            f"non-numeric columns in {text}: 'city' ('Paris' on line 2), "
            "'kind' ('x' on line 2)"),
        "NaN cell": (["fit", str(nan), "--target", "y"], "column 'b c' of"),
        "empty cell": (["fit", str(empty_cell), "--target", "y"], "column 'a' of"),
        "two rows": (["fit", str(two_rows), "--target", "y"], "has 2 data rows"),
        "ragged row": (["fit", str(ragged), "--target", "y"], "line 9 of"),
        "no features": (
            ["fit", str(only_target), "--target", "y"], "no feature columns"),
        "empty file": (
            ["fit", str(tmp_path / "empty.csv"), "--target", "y"], "is empty"),
        "l1-ratio out of range": (
            [*fit_good, "--penalty", "elasticnet", "--l1-ratio", "1.5"],
            "--l1-ratio must be in (0, 1]"),
        "l1-ratio not a number": (
            [*fit_good, "--penalty", "elasticnet", "--l1-ratio", "half"],
            "--l1-ratio must be a number"),
        "l1-ratio without elasticnet": (
            [*fit_good, "--l1-ratio", "0.5"],
            "--l1-ratio applies to --penalty elasticnet"),
        "one fold": ([*fit_good, "--cv", "1"], "--cv must be"),
        "no target": (["fit", str(good)], "required: --target"),
        "output dir is a file": (
            [*fit_good, "--out", str(good / "sub")],
            "cannot create the output directory"),
        "unknown command": (["frobnicate"], "invalid choice"),
        "duplicated columns": (
            ["fit", str(duplicated), "--target", "y"], "duplicated column names: 'a'"),
        "header only": (["fit", str(header_only), "--target", "y"], "has 0 data rows"),
    }


BAD_INPUTS = [
    "missing file", "unknown target", "non-numeric columns", "NaN cell",
    "empty cell", "two rows", "ragged row", "no features", "empty file",
    "l1-ratio out of range", "l1-ratio not a number", "l1-ratio without elasticnet",
    "one fold", "no target", "output dir is a file", "unknown command",
    "duplicated columns", "header only",
]


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_is_one_error_line_and_status_2(kind, tmp_path, capsys):
    cases = bad_input_cases(tmp_path)
    assert sorted(cases) == sorted(BAD_INPUTS)
    argv, fragment = cases[kind]
    assert main(argv) == 2
    printed = capsys.readouterr()
    lines = printed.err.splitlines()
    assert len(lines) == 1, printed.err
    assert lines[0].startswith("l1l2: error: ")
    assert fragment in lines[0]
    assert "Traceback" not in printed.err
    assert printed.out == ""


def test_bad_input_in_a_subprocess(tmp_path):
    path = write_csv(tmp_path / "nan.csv", HEADER, [*GOOD_ROWS, ["nan", 1, 1]])
    result = subprocess.run(
        [sys.executable, "-m", "l1l2", "fit", str(path), "--target", "y"],
        capture_output=True, text=True, env=subprocess_env(), cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"l1l2: error: column 'a' of {path} has empty, NaN or infinite cells, first "
        "on line 9; fill or drop them"
    ]
    assert result.stdout == ""


def test_help_and_version_return_0(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"l1l2 {l1l2.__version__}"
    assert main(["fit", "--help"]) == 0
    assert "--l1-ratio" in capsys.readouterr().out


# --- the demo ----------------------------------------------------------------


def test_demo_prints_the_table_and_saves_pictures(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Diabetes data: 331 training and 111 test samples" in printed
    assert re.search(r"^Lasso\s+0\.1\s+0\.\d{3}\s+\d+\s", printed, flags=re.MULTILINE)
    pictures = ["lasso_path.png", "lasso_cv_curve.png", "coefficients.png"]
    assert_pictures(out, pictures, printed)
    if HAS_MATPLOTLIB:
        assert sorted(p.name for p in out.iterdir()) == sorted(pictures)


def test_demo_without_matplotlib_prints_a_note(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["--out", str(tmp_path / "demo")]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[-1] == NO_PICTURES + "."
    assert not (tmp_path / "demo").exists()


def test_console_script_is_declared():
    tomllib = pytest.importorskip("tomllib")
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    if not pyproject.exists():
        pytest.skip("not run from a source tree")
    scripts = tomllib.loads(pyproject.read_text())["project"]["scripts"]
    assert scripts["l1l2"] == "l1l2.__main__:main"
