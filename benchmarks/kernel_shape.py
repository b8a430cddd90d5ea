"""The shape of the kernel's code: the longest functions and the longest
parameter lists, in the Cython files of ``src/l1l2`` (or the files given).

A function's length counts its lines of code: not blank lines, comments or
its docstring. Parameters are counted in its signature. Run::

    python benchmarks/kernel_shape.py            # src/l1l2/*.pyx, *.pxd
    python benchmarks/kernel_shape.py --top 5 path/to/_cd_fast.pyx
"""

import argparse
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "l1l2"
START = re.compile(r"^(cdef|cpdef|def)\s.*?\b(\w+)\s*\(")


def functions(path):
    """Yield ``(name, kind, code_lines, n_parameters)`` of each top-level
    function defined in a Cython file (declarations are skipped)."""
    lines = Path(path).read_text().splitlines()
    starts = [i for i, line in enumerate(lines) if START.match(line)]
    for first in starts:
        kind, name = START.match(lines[first]).groups()
        signature, body_start = _split_signature(lines, first)
        if not signature.rstrip().endswith(":"):
            continue  # a declaration (.pxd) or an extern
        end = len(lines)
        for i in range(body_start, len(lines)):
            if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#"):
                end = i
                break
        body = lines[body_start:end]
        yield name, kind, _code_lines(body), _count_parameters(signature)


def _split_signature(lines, first):
    """The signature's text (up to the colon that closes it) and the index
    of the body's first line."""
    depth = 0
    for i in range(first, len(lines)):
        for character in lines[i]:
            depth += character in "([{"
            depth -= character in ")]}"
        if depth == 0:
            return " ".join(lines[first: i + 1]), i + 1
    return " ".join(lines[first:]), len(lines)


def _count_parameters(signature):
    inside = signature[signature.index("(") + 1: signature.rindex(")")]
    depth, count, seen = 0, 0, False
    for character in inside:
        depth += character in "([{"
        depth -= character in ")]}"
        if character == "," and depth == 0:
            count += seen
            seen = False
        elif not character.isspace():
            seen = True
    return count + seen


def _code_lines(body):
    count, in_docstring = 0, False
    for line in body:
        text = line.strip()
        if in_docstring:
            in_docstring = not (text.endswith('"""') or text.endswith("'''"))
            continue
        if text.startswith(('"""', "'''")):
            quote = text[:3]
            in_docstring = not (len(text) > 3 and text.endswith(quote))
            continue
        if text and not text.startswith("#"):
            count += 1
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--top", type=int, default=8)
    options = parser.parse_args(argv)
    files = options.files or sorted(SOURCE.glob("*.pyx")) + sorted(SOURCE.glob("*.pxd"))
    rows = [(Path(f).name, *row) for f in files for row in functions(f)]
    cdef_rows = [row for row in rows if row[2] != "def"]
    print(f"{len(rows)} functions ({len(cdef_rows)} cdef) in {len(files)} files")
    for title, key in (("longest", 3), ("most parameters", 4)):
        print(f"\n{title} (cdef functions):")
        for file, name, _, length, parameters in sorted(
                cdef_rows, key=lambda row: -row[key])[: options.top]:
            print(f"  {file}:{name}: {length} lines, {parameters} parameters")
        print(f"{title} (def functions):")
        for file, name, _, length, parameters in sorted(
                (row for row in rows if row[2] == "def"),
                key=lambda row: -row[key])[: 3]:
            print(f"  {file}:{name}: {length} lines, {parameters} parameters")


if __name__ == "__main__":
    main()
