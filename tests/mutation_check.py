"""Mutation check: which tests catch hand-written bugs in l1l2?

Each mutation below is a small, deliberate bug: an exact piece of source text
and what replaces it. For each one the script works on a private copy of the
repository (the working tree as it is, uncommitted edits and untracked files
that git does not ignore included), applies the mutation, rebuilds what
changed, runs the tests and records which of them fail. A mutation no test
notices marks a concern the suite does not guard.

Usage (from any directory; the repository is this file's parent's parent)::

    python tests/mutation_check.py                   # every mutation
    python tests/mutation_check.py --list            # do the records still apply?
    python tests/mutation_check.py --only gap-l2-term drift-bound
    python tests/mutation_check.py --only drift-bound --tests tests/test_path.py
    python tests/mutation_check.py --keep            # keep the copy and its logs

``--tests`` must come last: everything after it goes to pytest in place of
the default selection (the ``tests`` directory without the slow files that
do not exercise the kernel, ``SLOW_TEST_FILES``). pytest always runs with
``-q -p no:cacheprovider --maxfail=25 -o addopts= -rfE``.

The unmutated copy is built once (or the working tree's compiled extensions
are reused when they are newer than their sources) and the baseline
selection must pass before any mutation is tried. A mutation of a ``.pyx``
or ``.pxd`` file recompiles the extensions that depend on it (about 25 s); one
of a Python file needs no build.

Output: progress on stderr; on stdout a table (mutation, concern, caught,
number of failing tests, time, first failing test ids or what went wrong)
and the line ``N of M mutations caught``. Exit status 0 when every mutation
is caught, 1 when one is not or cannot be tested (its text does not apply,
it does not build, pytest itself fails), 2 when the baseline fails or the
copy cannot be prepared. ``--list`` exits 1 when a record does not apply.

The riboflavin tests read ``L1L2_DATA``; when it is unset, the script points
it at ``../shared/data`` next to the repository (the copy does not sit
there) and requires the data (``L1L2_REQUIRE_DATA=1``).

To add a mutation, append a record to ``MUTATIONS``. Every ``old`` text must
occur exactly once in its file (at the time its edit is applied), and every
mutation must change what the library computes or certifies: a mutation that
only changes speed (a working-set size, a parking threshold checked later
anyway) cannot be caught and does not belong here. When the code moves,
update the ``old`` and ``new`` texts and run ``--list`` (no build, no tests)
to check that every record applies again.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Mutation:
    """One hand-written bug.

    Attributes
    ----------
    name : str
        Short identifier, used by ``--only``.
    concern : str
        What part of the library's contract it breaks.
    file : str
        The mutated file, relative to the repository root.
    description : str
        One line: what the mutation breaks.
    edits : tuple of (str, str)
        ``(old, new)`` replacements applied in order; each ``old`` must
        occur exactly once in the file when it is applied.
    """

    name: str
    concern: str
    file: str
    description: str
    edits: tuple[tuple[str, str], ...]


KERNEL = "src/l1l2/_cd_fast.pyx"
PENALTY = "src/l1l2/_penalty.pxd"
DESIGN = "src/l1l2/_design.pxd"
DUAL = "src/l1l2/_dual.pyx"
ANDERSON = "src/l1l2/_anderson.pyx"
PATH_STATE = "src/l1l2/_path_state.pyx"
PATH_STATE_HEADER = "src/l1l2/_path_state.pxd"
COVARIANCE = "src/l1l2/_covariance_solver.pyx"

MUTATIONS = (
    Mutation(
        name="intercept-sign",
        concern="intercept",
        file="src/l1l2/_base.py",
        description="intercept_ = y_offset + coef . X_offset (sign of the "
        "offset term flipped)",
        edits=(
            (
                "self.intercept_ = y_offset - np.atleast_2d(self.coef_) @ X_offset",
                "self.intercept_ = y_offset + np.atleast_2d(self.coef_) @ X_offset",
            ),
        ),
    ),
    Mutation(
        name="alpha-max-scale",
        concern="path grid",
        file="src/l1l2/_path.py",
        description="alpha_max 1 % too large (the path starts above the "
        "smallest all-zero alpha)",
        edits=(
            (
                "return float(reach.max() / (design.weight_sum * l1_ratio))",
                "return float(1.01 * reach.max() / (design.weight_sum * l1_ratio))",
            ),
        ),
    ),
    Mutation(
        name="gap-l2-term",
        concern="duality gap",
        file=PENALTY,
        description="the penalty's L2 term 0.1 % too large in "
        "_penalty_value (gap wrong for Ridge / Elastic-Net)",
        edits=(
            (
                "return l1 * fabs(w_j) + 0.5 * l2 * w_j * w_j",
                "return l1 * fabs(w_j) + 0.5005 * l2 * w_j * w_j",
            ),
        ),
    ),
    # The radius lives in _safe_radius, which the solver's screening pass
    # and the test entry gap_safe_discards share.
    Mutation(
        name="screening-radius-half",
        concern="screening",
        file=PENALTY,
        description="gap-safe sphere radius sqrt(0.5 gap) instead of "
        "sqrt(2 gap): screens features that may be non-zero",
        edits=(("return sqrt(2.0 * gap)", "return sqrt(0.5 * gap)"),),
    ),
    Mutation(
        name="screening-radius-0.9",
        concern="screening",
        file=PENALTY,
        description="gap-safe sphere radius 10 % too small (unsafe by a "
        "small margin)",
        edits=(("return sqrt(2.0 * gap)", "return 0.9 * sqrt(2.0 * gap)"),),
    ),
    Mutation(
        name="exact-step-acceptance",
        concern="exact step",
        file=KERNEL,
        description="the final polish (exact step on the support) kept "
        "whatever its duality gap",
        edits=(
            (
                "if polished_gap <= max(gap, S.tol_scaled):",
                "if polished_gap <= INFINITY:",
            ),
        ),
    ),
    # Accepting a rise changes no converged answer (the gap still decides
    # when to stop): the tests catch it through the step itself
    # (anderson_trial), at both of its acceptance tests.
    Mutation(
        name="anderson-acceptance",
        concern="anderson",
        file=ANDERSON,
        description="Anderson extrapolation kept even when it raises the "
        "objective (dense X, and CSC X centred implicitly)",
        edits=(
            (
                "if trial_objective < objective:",
                "if trial_objective < 1e300:",
            ),
        ),
    ),
    Mutation(
        name="anderson-acceptance-sparse",
        concern="anderson",
        file=ANDERSON,
        description="Anderson extrapolation kept even when it raises the "
        "objective (CSC X without centring: _sparse_trial_move)",
        edits=(("if change < 0.0:", "if change < 1e300:"),),
    ),
    Mutation(
        name="sparse-centring-shift",
        concern="sparse centring",
        file=DESIGN,
        description="implicit centring of CSC X: the residual's scalar shift "
        "moves the wrong way at each step",
        edits=(
            (
                "res.shift += step * offset[j]",
                "res.shift -= step * offset[j]",
            ),
        ),
    ),
    Mutation(
        name="float32-accumulation",
        concern="float32",
        file=DESIGN,
        description="float32 column products summed in float32 instead of "
        "double (_dense_dot and _sparse_dot)",
        edits=(
            (
                "    cdef int i\n"
                "    cdef double total = 0.0\n"
                "    if floating is double and not weighted:",
                "    cdef int i\n"
                "    cdef floating total = 0.0\n"
                "    if floating is double and not weighted:",
            ),
            (
                "    cdef int64_t k\n    cdef double total = 0.0\n    if weighted:",
                "    cdef int64_t k\n    cdef floating total = 0.0\n    if weighted:",
            ),
        ),
    ),
    Mutation(
        name="gram-gap",
        concern="covariance kernel",
        file=COVARIANCE,
        description="_gram_gap: w.Qw 0.1 % too small in r^T S r (the "
        "covariance kernel's gap underestimated, stops early)",
        edits=(
            (
                "G.y_norm2 - 2.0 * wq + wH, G.y_norm2 - wq)",
                "G.y_norm2 - 2.0 * wq + 0.999 * wH, G.y_norm2 - wq)",
            ),
        ),
    ),
    Mutation(
        name="drift-bound",
        concern="stale correlations",
        file=PATH_STATE_HEADER,
        description="_drift_bound halved: a stale correlation is trusted "
        "beyond how far it can have moved (parking, lazy gaps, final check)",
        edits=(
            (
                "return min(norm * moved.l2, l1norm * moved.sup)",
                "return 0.5 * min(norm * moved.l2, l1norm * moved.sup)",
            ),
        ),
    ),
    Mutation(
        name="unpark-check",
        concern="stale correlations",
        file=PATH_STATE,
        description="_unpark_violators: a parked feature violating its "
        "optimality condition by up to 2x stays out of the solve",
        edits=(
            (
                "if fabs(XtSr[j]) > noise * l1_reg * factor[j]:",
                "if fabs(XtSr[j]) > 2.0 * noise * l1_reg * factor[j]:",
            ),
        ),
    ),
    Mutation(
        name="unpenalised-projection",
        concern="penalty factors",
        file=DUAL,
        description="_project_out_unpenalised: correlations corrected with "
        "the wrong sign (dual point infeasible when some factor is 0)",
        edits=(("XtSt[j] -= correction", "XtSt[j] += correction"),),
    ),
    Mutation(
        name="box-conjugate",
        concern="bounds",
        file=PENALTY,
        description="_penalty_conjugate: the finite upper bound's term halved "
        "(Lasso gap with upper bounds underestimated)",
        edits=(
            (
                "        value += (v - l1) * hi",
                "        value += 0.5 * (v - l1) * hi",
            ),
        ),
    ),
)

# The test files left out of the default selection: slow, and they exercise
# the command line, examples, plots and docstrings rather than the solvers.
SLOW_TEST_FILES = (
    "tests/test_cli.py",
    "tests/test_examples.py",
    "tests/test_plotting.py",
    "tests/test_docstrings.py",
)
PYTEST_OPTIONS = (
    "-q",
    "-p",
    "no:cacheprovider",
    "--maxfail=25",
    "-o",
    "addopts=",
    "-rfE",
    "--color=no",
)
MAX_FAIL = 25
TEST_TIMEOUT = 15 * 60.0  # seconds per test run
BUILD_TIMEOUT = 30 * 60.0
INTERRUPT_GRACE = 60.0  # seconds between SIGINT and SIGKILL on a timeout
COMPILED_SUFFIXES = (".pyx", ".pxd")
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


@dataclass
class Run:
    """The outcome of one logged subprocess.

    Attributes
    ----------
    returncode : int
        Exit status (negative: killed by that signal).
    timed_out : bool
        Whether it was stopped for running over its time limit.
    seconds : float
        Wall time.
    output : str
        Its combined stdout and stderr.
    """

    returncode: int
    timed_out: bool
    seconds: float
    output: str


@dataclass
class TestOutcome:
    """What a pytest run says about the tests.

    Attributes
    ----------
    failing : list of str
        Ids of the failed and erroring tests, in pytest's order.
    n_failing : int
        Their number (at least ``len(failing)``).
    stopped : bool
        Whether pytest stopped at ``--maxfail``.
    """

    failing: list[str] = field(default_factory=list)
    n_failing: int = 0
    stopped: bool = False


@dataclass
class Result:
    """One row of the report.

    Attributes
    ----------
    mutation : Mutation
    caught : bool
        Whether some test failed with the mutation applied.
    error : str or None
        Why the mutation could not be tested (it does not apply or does not
        build, or pytest failed to run); None when it was tested.
    tests : TestOutcome
    note : str
        Anything else worth a mention (a timeout, a crash).
    seconds : float
        Wall time of its build and test run.
    """

    mutation: Mutation
    caught: bool = False
    error: str | None = None
    tests: TestOutcome = field(default_factory=TestOutcome)
    note: str = ""
    seconds: float = 0.0


# --- command line ------------------------------------------------------------


def parse_arguments(argv):
    """Read the command line.

    Parameters
    ----------
    argv : list of str
        The arguments, without the program name. Everything after the first
        ``--tests`` is the pytest selection.

    Returns
    -------
    argparse.Namespace
        With ``list``, ``only``, ``keep``, ``timeout`` and ``tests`` (a list
        of pytest arguments, or None for the default selection).
    """
    pytest_args = None
    if "--tests" in argv:
        at = argv.index("--tests")
        argv, pytest_args = argv[:at], argv[at + 1 :]
    parser = argparse.ArgumentParser(
        description="Apply each hand-written mutation to a copy of the "
        "repository, rebuild, run the tests and report which catch it.",
        epilog="--tests PYTEST_ARGS... must come last: the rest of the line "
        "replaces the default test selection.",
    )
    parser.add_argument(
        "--list", action="store_true",
        help="list the mutations and check that each applies; no build, no tests",
    )
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="run only these mutations"
    )
    parser.add_argument(
        "--keep", action="store_true",
        help="keep the temporary copy and its logs (their path is printed)",
    )
    parser.add_argument(
        "--timeout", type=float, default=TEST_TIMEOUT / 60.0, metavar="MINUTES",
        help="time limit of one test run (default %(default)g)",
    )
    options = parser.parse_args(argv)
    if pytest_args is not None and not pytest_args:
        parser.error("--tests needs pytest arguments after it")
    options.tests = pytest_args
    names = [mutation.name for mutation in MUTATIONS]
    unknown = sorted(set(options.only or ()) - set(names))
    if unknown:
        parser.error(f"unknown mutation(s) {', '.join(unknown)}; "
                     f"known: {', '.join(names)}")
    return options


def selected_mutations(only):
    """The mutations to run, in the order of ``MUTATIONS``.

    Parameters
    ----------
    only : list of str or None
        Names to keep; None keeps all.

    Returns
    -------
    list of Mutation
    """
    return [m for m in MUTATIONS if only is None or m.name in only]


def default_selection():
    """The default pytest selection: ``tests`` less ``SLOW_TEST_FILES``.

    Returns
    -------
    list of str
    """
    return ["tests", *(f"--ignore={path}" for path in SLOW_TEST_FILES)]


def progress(message):
    """Print a progress line on stderr.

    Parameters
    ----------
    message : str
    """
    print(f"[mutation_check {time.strftime('%H:%M:%S')}] {message}",
          file=sys.stderr, flush=True)


# --- mutations -----------------------------------------------------------------


def apply_edits(text, mutation):
    """Apply a mutation's edits to the text of its file.

    Parameters
    ----------
    text : str
        The pristine file.
    mutation : Mutation

    Returns
    -------
    mutated : str or None
        The mutated text, None when an edit does not apply.
    error : str or None
        Why it does not apply (``does not apply: ...``), else None.
    """
    if not mutation.edits:
        return None, "does not apply: no edits"
    for number, (old, new) in enumerate(mutation.edits, start=1):
        where = f" (edit {number})" if len(mutation.edits) > 1 else ""
        count = text.count(old) if old else 0
        if count != 1:
            found = "text not found" if count == 0 else f"text found {count} times"
            return None, f"does not apply: {found}{where}"
        if old == new:
            return None, f"does not apply: old and new are the same{where}"
        text = text.replace(old, new)
    return text, None


def check_applies(root, mutation):
    """Whether a mutation applies to the file as it is under ``root``.

    Parameters
    ----------
    root : Path
    mutation : Mutation

    Returns
    -------
    str or None
        The error (``does not apply: ...``), None if it applies.
    """
    path = root / mutation.file
    if not path.is_file():
        return f"does not apply: {mutation.file} not found"
    return apply_edits(path.read_text(encoding="utf-8"), mutation)[1]


def list_mutations(root, mutations):
    """Print the mutations and whether each applies to the working tree.

    Parameters
    ----------
    root : Path
        The repository.
    mutations : list of Mutation

    Returns
    -------
    int
        Exit status: 0 when all apply, 1 otherwise.
    """
    rows = []
    failures = 0
    for mutation in mutations:
        error = check_applies(root, mutation)
        failures += error is not None
        rows.append((mutation.name, mutation.concern, mutation.file,
                     error or "applies", mutation.description))
    print(format_table(("mutation", "concern", "file", "status", "what it breaks"),
                       rows))
    print(f"{len(mutations) - failures} of {len(mutations)} mutations apply")
    return 0 if failures == 0 else 1


# --- the copy of the repository ----------------------------------------------


def git_files(root):
    """The working tree's tracked files and its untracked, unignored ones.

    Parameters
    ----------
    root : Path

    Returns
    -------
    list of str
        Paths relative to ``root`` that exist (a tracked file deleted in the
        working tree is left out), sorted.
    """
    listed = set()
    for extra in ([], ["--others", "--exclude-standard"]):
        output = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", *extra],
            check=True, capture_output=True,
        ).stdout
        listed.update(name for name in os.fsdecode(output).split("\0") if name)
    return sorted(name for name in listed if os.path.lexists(root / name))


def copy_files(root, names, target):
    """Copy files (symlinks as symlinks) to the same places under ``target``.

    Parameters
    ----------
    root : Path
    names : list of str
        Paths relative to ``root``; directories (submodules) are skipped.
    target : Path
    """
    for name in names:
        source = root / name
        if source.is_dir() and not source.is_symlink():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination, follow_symlinks=False)


def extension_sources(names):
    """The Cython modules of the repository.

    Parameters
    ----------
    names : list of str
        The repository's files.

    Returns
    -------
    list of str
        The ``.pyx`` files.
    """
    return [name for name in names if name.endswith(".pyx")]


def build_products(pyx):
    """The generated C file and the compiled module of a ``.pyx``.

    Parameters
    ----------
    pyx : Path

    Returns
    -------
    tuple of Path
        ``(c_file, module)``.
    """
    return pyx.with_suffix(".c"), pyx.with_name(pyx.stem + EXT_SUFFIX)


def fresh_products(root, pyx_names):
    """Whether the working tree's build products can be reused.

    Parameters
    ----------
    root : Path
    pyx_names : list of str

    Returns
    -------
    bool
        True when every ``.pyx`` has its C file and module, both newer than
        every ``.pyx`` and ``.pxd`` of its directory.
    """
    for name in pyx_names:
        pyx = root / name
        sources = [*pyx.parent.glob("*.pyx"), *pyx.parent.glob("*.pxd")]
        newest_source = max(path.stat().st_mtime for path in sources)
        for product in build_products(pyx):
            if not product.exists() or product.stat().st_mtime <= newest_source:
                return False
    return True


def copy_products(root, copy, pyx_names):
    """Copy the working tree's build products, ordering their times.

    Sources get a time in the past, C files a later one, modules a later one
    still, so that neither cythonize nor setuptools rebuilds them.

    Parameters
    ----------
    root : Path
    copy : Path
    pyx_names : list of str
    """
    base = time.time() - 600.0
    for name in pyx_names:
        pyx = copy / name
        for source in [*pyx.parent.glob("*.pyx"), *pyx.parent.glob("*.pxd")]:
            os.utime(source, (base, base))
        for offset, product in enumerate(build_products(pyx), start=1):
            target = copy / product.relative_to(copy)
            shutil.copyfile(root / product.relative_to(copy), target)
            os.utime(target, (base + 60.0 * offset, base + 60.0 * offset))


def test_environment(root, copy):
    """The environment of the test runs: the copy's ``src`` first on the path.

    Parameters
    ----------
    root : Path
        The repository (to find ``../shared/data``).
    copy : Path

    Returns
    -------
    dict
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(copy / "src"), *filter(None, [env.get("PYTHONPATH")])])
    # No stale bytecode: a mutated and a restored file may share a size and
    # a timestamp second.
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    if "L1L2_DATA" not in env:
        env["L1L2_DATA"] = str(root.parent / "shared" / "data")
        env.setdefault("L1L2_REQUIRE_DATA", "1")
    return env


def check_imports(copy, env, pyx_names):
    """Check that the tests will import l1l2 and its extensions from the copy.

    Parameters
    ----------
    copy : Path
    env : dict
    pyx_names : list of str

    Returns
    -------
    str or None
        What went wrong, None when all is well.
    """
    modules = ["l1l2", *(Path(name).with_suffix("").relative_to("src")
                         .as_posix().replace("/", ".") for name in pyx_names)]
    script = ("import importlib\n"
              f"for name in {modules!r}:\n"
              "    print(importlib.import_module(name).__file__)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=copy, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        return done.stderr.strip().splitlines()[-1] if done.stderr else "failed"
    for path in done.stdout.split():
        if not Path(path).resolve().is_relative_to(copy.resolve()):
            return f"imports {path}, not the copy's"
    return None


# --- building and testing ----------------------------------------------------


def run_logged(command, cwd, env, log, timeout):
    """Run a command in its own process group, its output to a log file.

    On a timeout the group gets SIGINT (pytest then prints its summary), and
    SIGKILL ``INTERRUPT_GRACE`` seconds later if it is still running.

    Parameters
    ----------
    command : list of str
    cwd : Path
    env : dict
    log : Path
    timeout : float
        Seconds.

    Returns
    -------
    Run
    """
    start = time.monotonic()
    timed_out = False
    with open(log, "wb") as sink:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink,
                                   stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=INTERRUPT_GRACE)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        except BaseException:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            raise
    output = log.read_text(encoding="utf-8", errors="replace")
    return Run(process.returncode, timed_out, time.monotonic() - start, output)


def build(copy, env, log):
    """Build the extensions in place in the copy.

    Parameters
    ----------
    copy : Path
    env : dict
    log : Path

    Returns
    -------
    Run
    """
    return run_logged([sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
                      copy, env, log, BUILD_TIMEOUT)


def run_tests(copy, env, selection, log, timeout):
    """Run pytest on the copy.

    Parameters
    ----------
    copy : Path
    env : dict
    selection : list of str
        Test paths and options (those of ``PYTEST_OPTIONS`` are added).
    log : Path
    timeout : float
        Seconds.

    Returns
    -------
    run : Run
    outcome : TestOutcome
    """
    run = run_logged([sys.executable, "-m", "pytest", *selection, *PYTEST_OPTIONS],
                     copy, env, log, timeout)
    return run, parse_pytest_output(run.output)


SUMMARY_LINE = re.compile(r"^(FAILED|ERROR) (.+?)(?: - .*)?$")
PROGRESS_LINE = re.compile(r"^[.sxXFE]+(?: +\[ *\d+%\])?$")


def parse_pytest_output(output):
    """The failing tests that pytest's ``-rfE`` summary lists.

    Parameters
    ----------
    output : str

    Returns
    -------
    TestOutcome
        Without a summary (pytest killed), ``n_failing`` counts the F and E
        marks of the progress lines that open the output.
    """
    failing = []
    for line in output.splitlines():
        match = SUMMARY_LINE.match(line.rstrip())
        if match and match.group(2) not in failing:
            failing.append(match.group(2))
    marks = 0
    for line in output.splitlines():
        if not PROGRESS_LINE.match(line):
            break
        marks += sum(line.split(" ")[0].count(mark) for mark in "FE")
    stopped = re.search(r"stopping after \d+ failures", output) is not None
    return TestOutcome(failing, len(failing) or marks, stopped)


def describe_exit(run):
    """Words for how a test run ended, when it did not simply finish.

    Parameters
    ----------
    run : Run

    Returns
    -------
    str
    """
    if run.timed_out:
        return f"timed out after {run.seconds:.0f} s"
    if run.returncode < 0:
        try:
            name = signal.Signals(-run.returncode).name
        except ValueError:
            name = f"signal {-run.returncode}"
        return f"pytest killed by {name}"
    return ""


def tail(text, lines=15):
    """The last lines of a text.

    Parameters
    ----------
    text : str
    lines : int

    Returns
    -------
    str
    """
    return "\n".join(text.rstrip().splitlines()[-lines:])


class Workspace:
    """The copy of the repository, its pristine files and its logs.

    Parameters
    ----------
    root : Path
        The repository.
    base : Path
        An empty temporary directory: the copy goes to ``base / "repo"``,
        pristine files to ``base / "pristine"``, logs to ``base / "logs"``.
    selection : list of str
        The pytest selection.
    timeout : float
        Seconds per test run.
    """

    def __init__(self, root, base, selection, timeout):
        self.root = root
        self.copy = base / "repo"
        self.pristine = base / "pristine"
        self.logs = base / "logs"
        self.selection = selection
        self.timeout = timeout
        self.pyx_names = []
        self.env = {}

    def prepare(self):
        """Copy the repository and build it (or reuse the working tree's build).

        Returns
        -------
        str or None
            What went wrong, None when the copy is ready.
        """
        names = git_files(self.root)
        progress(f"copying {len(names)} files to {self.copy}")
        copy_files(self.root, names, self.copy)
        self.logs.mkdir(parents=True)
        self.pyx_names = extension_sources(names)
        self.env = test_environment(self.root, self.copy)
        if fresh_products(self.root, self.pyx_names):
            progress("reusing the working tree's build (newer than its sources)")
            copy_products(self.root, self.copy, self.pyx_names)
        else:
            progress("building the unmutated copy")
            run = build(self.copy, self.env, self.logs / "baseline-build.log")
            if run.returncode != 0 or run.timed_out:
                return f"the unmutated copy does not build:\n{tail(run.output)}"
            progress(f"built in {run.seconds:.0f} s")
        problem = check_imports(self.copy, self.env, self.pyx_names)
        if problem:
            return f"the copy's l1l2 does not import: {problem}"
        return None

    def save_pristine(self, mutations):
        """Keep the build products and the files to be mutated.

        Parameters
        ----------
        mutations : list of Mutation
        """
        names = {m.file for m in mutations if (self.copy / m.file).is_file()}
        for name in self.pyx_names:
            names.update(str(product.relative_to(self.copy))
                         for product in build_products(self.copy / name))
        for name in names:
            target = self.pristine / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(self.copy / name, target)

    def baseline(self):
        """Run the test selection on the unmutated copy.

        Returns
        -------
        run : Run
        outcome : TestOutcome
        """
        return run_tests(self.copy, self.env, self.selection,
                         self.logs / "baseline-tests.log", self.timeout)

    def affected_modules(self, mutation):
        """The ``.pyx`` files a mutation makes stale.

        Parameters
        ----------
        mutation : Mutation

        Returns
        -------
        list of str
            Empty for a Python file; every module for a ``.pxd``.
        """
        if mutation.file.endswith(".pyx"):
            return [mutation.file]
        if mutation.file.endswith(".pxd"):
            return list(self.pyx_names)
        return []

    def restore(self, mutation):
        """Put back the pristine file and build products after a mutation.

        The modules rebuilt from the mutation are also deleted from setuptools'
        ``build`` directory, which a later build would copy back otherwise.

        Parameters
        ----------
        mutation : Mutation
        """
        shutil.copy2(self.pristine / mutation.file, self.copy / mutation.file)
        for name in self.affected_modules(mutation):
            for product in build_products(self.copy / name):
                saved = self.pristine / product.relative_to(self.copy)
                shutil.copy2(saved, product)
            module = build_products(Path(name))[1].name
            for stale in (self.copy / "build").rglob(module):
                stale.unlink()

    def try_mutation(self, mutation):
        """Apply a mutation, rebuild, run the tests and restore the copy.

        Parameters
        ----------
        mutation : Mutation

        Returns
        -------
        Result
        """
        result = Result(mutation)
        path = self.copy / mutation.file
        if not path.is_file():
            result.error = f"does not apply: {mutation.file} not found"
            return result
        mutated, result.error = apply_edits(path.read_text(encoding="utf-8"),
                                            mutation)
        if result.error:
            return result
        start = time.monotonic()
        try:
            path.write_text(mutated, encoding="utf-8")
            self.run_mutated(mutation, result)
        finally:
            self.restore(mutation)
        result.seconds = time.monotonic() - start
        return result

    def run_mutated(self, mutation, result):
        """Rebuild and test the mutated copy, filling in ``result``.

        Parameters
        ----------
        mutation : Mutation
        result : Result
        """
        modules = self.affected_modules(mutation)
        if modules:
            for name in modules:
                build_products(self.copy / name)[0].unlink(missing_ok=True)
            progress(f"{mutation.name}: building")
            run = build(self.copy, self.env, self.logs / f"{mutation.name}-build.log")
            if run.returncode != 0 or run.timed_out:
                result.error = "does not build"
                progress(f"{mutation.name}: does not build:\n{tail(run.output)}")
                return
            progress(f"{mutation.name}: built in {run.seconds:.0f} s")
        progress(f"{mutation.name}: testing")
        run, result.tests = run_tests(self.copy, self.env, self.selection,
                                      self.logs / f"{mutation.name}-tests.log",
                                      self.timeout)
        result.note = describe_exit(run)
        if result.tests.n_failing > 0:
            result.caught = True
        elif run.returncode < 0 and not run.timed_out:
            result.caught = True  # a crash: the test run fails
        elif run.returncode not in (0, 1) and not run.timed_out:
            result.error = f"pytest exited with status {run.returncode}"
        elif run.returncode == 1:
            result.caught = True
            result.note = "failures not parsed (see the log)"


# --- report --------------------------------------------------------------------


def format_table(header, rows):
    """A plain-text table, columns padded to their widest cell.

    Parameters
    ----------
    header : tuple of str
    rows : list of tuple of str

    Returns
    -------
    str
    """
    widths = [max(len(str(row[k])) for row in [header, *rows])
              for k in range(len(header))]

    def line(cells):
        padded = [str(cell).ljust(width)
                  for cell, width in zip(cells, widths, strict=True)]
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def result_row(result):
    """The table row of one result.

    Parameters
    ----------
    result : Result

    Returns
    -------
    tuple of str
    """
    tests = result.tests
    if result.error:
        caught, count = "ERROR", "-"
    else:
        caught = "yes" if result.caught else "NO"
        count = f"{tests.n_failing}{'+' if tests.stopped else ''}"
    details = [result.error or "", result.note, ", ".join(tests.failing[:3])]
    return (result.mutation.name, result.mutation.concern, caught, count,
            f"{result.seconds:.0f} s", "; ".join(d for d in details if d))


def report(results, seconds):
    """Print the table and the summary line.

    Parameters
    ----------
    results : list of Result
    seconds : float
        Wall time of the whole check.

    Returns
    -------
    int
        Exit status: 0 when every mutation was caught, else 1.
    """
    header = ("mutation", "concern", "caught", "failing", "time",
              "first failing tests")
    print(format_table(header, [result_row(result) for result in results]))
    caught = sum(result.caught for result in results)
    errors = sum(result.error is not None for result in results)
    missed = [r.mutation.name for r in results if not r.caught and not r.error]
    line = f"{caught} of {len(results)} mutations caught"
    if missed:
        line += f"; not caught: {', '.join(missed)}"
    if errors:
        line += f"; {errors} could not be tested"
    minutes, rest = divmod(round(seconds), 60)
    print(f"{line} (wall time {minutes} min {rest:02d} s)")
    return 0 if caught == len(results) else 1


def report_baseline(outcome, run):
    """Print why the baseline failed.

    Parameters
    ----------
    outcome : TestOutcome
    run : Run
    """
    how = describe_exit(run)
    print(f"baseline fails ({how or f'pytest exit status {run.returncode}'}): "
          f"{outcome.n_failing} failing test(s) without any mutation")
    for test_id in outcome.failing:
        print(f"  {test_id}")
    if not outcome.failing:
        print(tail(run.output))


# --- main ------------------------------------------------------------------------


def check(root, options):
    """Run the mutation check in a temporary directory.

    Parameters
    ----------
    root : Path
    options : argparse.Namespace

    Returns
    -------
    int
        Exit status.
    """
    start = time.monotonic()
    mutations = selected_mutations(options.only)
    selection = options.tests or default_selection()
    base = Path(tempfile.mkdtemp(prefix="l1l2-mutation-"))
    workspace = Workspace(root, base, selection, 60.0 * options.timeout)
    try:
        problem = workspace.prepare()
        if problem:
            print(problem)
            return 2
        workspace.save_pristine(mutations)
        progress(f"baseline: pytest {' '.join(selection)}")
        run, outcome = workspace.baseline()
        if run.returncode != 0 or outcome.n_failing or run.timed_out:
            report_baseline(outcome, run)
            return 2
        progress(f"baseline passes ({run.seconds:.0f} s)")
        results = []
        for number, mutation in enumerate(mutations, start=1):
            progress(f"[{number}/{len(mutations)}] {mutation.name}: "
                     f"{mutation.description}")
            result = workspace.try_mutation(mutation)
            verdict = result.error or ("caught" if result.caught else "NOT caught")
            progress(f"[{number}/{len(mutations)}] {mutation.name}: {verdict} "
                     f"({result.tests.n_failing} failing, {result.seconds:.0f} s)")
            results.append(result)
        return report(results, time.monotonic() - start)
    finally:
        if options.keep:
            progress(f"kept the copy and logs in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def main(argv=None):
    """Entry point.

    Parameters
    ----------
    argv : list of str, optional
        Defaults to ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit status.
    """
    options = parse_arguments(sys.argv[1:] if argv is None else list(argv))
    root = Path(__file__).resolve().parents[1]
    mutations = selected_mutations(options.only)
    if options.list:
        return list_mutations(root, mutations)
    return check(root, options)


if __name__ == "__main__":
    sys.exit(main())
