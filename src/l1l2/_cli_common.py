"""What the command line's commands share: exit statuses and errors, the
output directory, plain-text tables and saving pictures (matplotlib is
imported only when drawing)."""

from pathlib import Path

# Exit statuses.
EXIT_OK = 0
EXIT_FIT_FAILED = 1
EXIT_BAD_INPUT = 2

PLOT_EXTRA = 'pip install "l1l2[plot]"'


class InputError(Exception):
    """Bad input: the command line or the data file (exit status 2)."""


class FitError(Exception):
    """The model could not be fitted (exit status 1)."""


def make_out_dir(path):
    """Create the output directory (and its parents) if needed.

    Parameters
    ----------
    path : str or Path
        The directory.

    Returns
    -------
    path : Path
        The directory, which exists.

    Raises
    ------
    InputError
        When it cannot be created (a file is in the way, no permission).
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output directory {path}: "
                         f"{exc.strerror}") from None
    return path


def _matplotlib_available():
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _use_agg():
    """Draw off-screen: the command line saves pictures, it never shows
    them."""
    import matplotlib

    matplotlib.use("Agg")


def _save(figure, path):
    """Save a figure as a PNG file, close it, and return the path."""
    import matplotlib.pyplot as plt

    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _one_line(message):
    return " ".join(str(message).split())

def format_table(header, rows):
    """Format rows as a plain-text table with aligned columns.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : sequence of sequence of str
        Cells, already formatted; the first column is left-aligned, the
        others right-aligned.

    Returns
    -------
    table : str
        The table, one line per row, with a rule under the header.
    """
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        first = cells[0].ljust(widths[0])
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])
