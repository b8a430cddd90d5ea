"""Reading the CSV file of ``l1l2 fit``: numeric columns by name, every bad
cell reported as one line naming the column and the line."""

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from ._cli_common import InputError

# At most this many column names are listed in an error.
MAX_LISTED_COLUMNS = 20


# Spellings of a missing value in a CSV cell.
MISSING = {"", "na", "nan", "n/a", "null", "none"}

# Elastic-Net mixes tried by default (scikit-learn's advice: more near the Lasso).


def read_csv(path, target, sep=","):
    """Read a numeric CSV file with a header into features and a target.

    Parameters
    ----------
    path : str or Path
        The file; the first row names the columns.
    target : str
        Name of the target column; every other column is a feature.
    sep : str, default=","
        Field separator.

    Returns
    -------
    X : ndarray of shape (n_rows, n_features)
        The feature columns, as floats.
    y : ndarray of shape (n_rows,)
        The target column.
    feature_names : list of str
        Names of the feature columns, in file order.

    Raises
    ------
    InputError
        With a one-line message naming the problem: the file cannot be
        read, the target is not a column (the columns are listed), some
        columns are not numeric (named), some cells are empty or NaN (the
        column is named), or the rows are ragged.
    """
    header, rows = _read_rows(Path(path), sep)
    if target not in header:
        shown = ", ".join(repr(name) for name in header[:MAX_LISTED_COLUMNS])
        more = len(header) - MAX_LISTED_COLUMNS
        shown += f" and {more} more" if more > 0 else ""
        raise InputError(f"no column {target!r} in {path}; the columns are: {shown}")
    if len(header) < 2:
        raise InputError(f"{path} has no feature columns besides {target!r}")
    columns = _numeric_columns(header, rows, path)
    y = columns[header.index(target)]
    feature_names = [name for name in header if name != target]
    X = np.column_stack([columns[header.index(name)] for name in feature_names])
    return X, y, feature_names


def _read_rows(path, sep):
    """The header (names stripped) and the data rows of a CSV file."""
    if len(sep) != 1:
        raise InputError(f"--sep must be one character, got {sep!r}")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=sep)
            # (line number, fields): a quoted field may span several lines.
            lines = [(reader.line_num, row) for row in reader]
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"cannot read {path}: it is a directory") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied") from None
    except UnicodeDecodeError:
        raise InputError(f"cannot read {path}: it is not UTF-8 text") from None
    except csv.Error as exc:
        raise InputError(f"cannot parse {path}: {exc}") from None
    # Blank lines carry no row.
    numbered = [(number, row) for number, row in lines
                if any(cell.strip() for cell in row)]
    if not numbered:
        raise InputError(f"{path} is empty")
    header = [name.strip() for name in numbered[0][1]]
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputError(f"column {position} of {path} has no name in the header")
    duplicated = sorted(name for name, count in Counter(header).items() if count > 1)
    if duplicated:
        raise InputError(f"{path} has duplicated column names: "
                         + ", ".join(repr(name) for name in duplicated))
    rows = numbered[1:]
    for line_number, row in rows:
        if len(row) != len(header):
            raise InputError(
                f"line {line_number} of {path} has {len(row)} fields, the header "
                f"has {len(header)}"
            )
    return header, rows


def _numeric_columns(header, rows, path):
    """Each column as a float array; every non-numeric column is named, then
    the first column with missing cells."""
    columns = []
    not_numeric = []
    missing = []
    for j, name in enumerate(header):
        values = np.empty(len(rows))
        first_text = first_missing = None
        for i, (line_number, row) in enumerate(rows):
            cell = row[j].strip()
            if cell.lower() in MISSING:
                values[i] = np.nan
                first_missing = first_missing or line_number
                continue
            try:
                values[i] = float(cell)
            except ValueError:
                first_text = first_text or (cell, line_number)
        if first_text is not None:
            not_numeric.append(f"{name!r} ({first_text[0]!r} on line {first_text[1]})")
        elif first_missing is not None:
            missing.append((name, first_missing))
        elif not np.all(np.isfinite(values)):
            missing.append((name, rows[int(np.flatnonzero(
                ~np.isfinite(values))[0])][0]))
        columns.append(values)
    if not_numeric:
        shown = ", ".join(not_numeric[:MAX_LISTED_COLUMNS // 4])
        more = len(not_numeric) - MAX_LISTED_COLUMNS // 4
        shown += f" and {more} more" if more > 0 else ""
        raise InputError(
            f"non-numeric columns in {path}: {shown}; encode them as numbers or "
            "remove them"
        )
    if missing:
        name, line_number = missing[0]
        others = f" (and {len(missing) - 1} more columns)" if len(missing) > 1 else ""
        raise InputError(
            f"column {name!r} of {path} has empty, NaN or infinite cells, first on "
            f"line {line_number}{others}; fill or drop them"
        )
    return columns

