"""Student and solution notebooks generated from one source notebook per exercise set, as nbgrader does.

`notebooks/source/NN_topic.ipynb` holds the solutions between nbgrader's markers; this module writes
`notebooks/exercises/NN_topic.ipynb` (solutions replaced by nbgrader's stub) and `notebooks/solutions/NN_topic.ipynb`
(markers removed). A student notebook edited since it was generated is never overwritten without `--force`, and
then a backup is kept beside it. Run it as `make exercises` or `python -m course.exercises [--force | --check]`.
"""
import argparse
import copy
import datetime
import hashlib
import json
import pathlib
import re
import shutil
import sys

import nbformat

NOTEBOOKS = pathlib.Path(__file__).resolve().parents[1] / "notebooks"

# nbgrader's delimiters and stubs (its ClearSolutions and ClearHiddenTests preprocessors).
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"


_KINDS = {"answer": dict(solution=True), "check": dict(grade=True, locked=True), "readonly": dict(locked=True),
          "written": dict(grade=True, solution=True)}


def nbgrader_metadata(kind, grade_id, points=1):
    """A cell's metadata in nbgrader's schema 3, by kind of cell.

    "answer": the student writes in it; "check": graded and locked, it calls `check`; "readonly": locked (the setup
    cell, a broken cell to fix); "written": a markdown answer, graded by hand.
    """
    flags = {"grade": False, "locked": False, "solution": False, **_KINDS[kind]}
    meta = {**flags, "grade_id": grade_id, "schema_version": 3, "task": False}
    if meta["grade"]:
        meta["points"] = points
    return {"nbgrader": dict(sorted(meta.items()))}


class SourceError(ValueError):
    """A source notebook that nbgrader would refuse."""


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def _regions(source, begin, end, where):
    """The cell's lines, each tagged "marker", "inside" or "outside" a begin/end region."""
    tags, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            if inside:
                raise SourceError(f"{where}: a {begin!r} inside another")
            inside = True
            tags.append((line, "marker"))
        elif end in line:
            inside = False
            tags.append((line, "marker"))
        else:
            tags.append((line, "inside" if inside else "outside"))
    if inside:
        raise SourceError(f"{where}: {begin!r} without {end!r}")
    return tags


def _student_source(cell, where):
    """nbgrader's student version of one cell's source."""
    stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
    lines, replaced = [], False
    for line, tag in _regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, where):
        if tag == "marker" and BEGIN_SOLUTION in line:
            indent = re.match(r"\s*", line).group(0)
            lines += [indent + stub_line for stub_line in stub.split("\n")]
            replaced = True
        elif tag == "outside":
            lines.append(line)
    if replaced and not _nbgrader(cell).get("solution"):
        raise SourceError(f"{where}: a solution region in a cell not marked as a solution cell")
    if _nbgrader(cell).get("solution") and not replaced:
        return stub
    lines = [line for line, tag in _regions("\n".join(lines), BEGIN_HIDDEN, END_HIDDEN, where) if tag == "outside"]
    return "\n".join(lines)


def _solution_source(cell, where):
    kept = _regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, where)
    kept = _regions("\n".join(line for line, tag in kept if tag != "marker"), BEGIN_HIDDEN, END_HIDDEN, where)
    return "\n".join(line for line, tag in kept if tag != "marker")


def validate(source, name="source"):
    """Raise SourceError where nbgrader's schema 3 or its rules for regions would refuse the source notebook."""
    seen = set()
    for index, cell in enumerate(source.cells):
        where = f"{name}, cell {index}"
        meta = _nbgrader(cell)
        if BEGIN_HIDDEN in cell.source and not meta.get("grade"):
            raise SourceError(f"{where}: hidden tests in a cell not marked as a grade cell")
        if not meta:
            continue
        if meta.get("schema_version") != 3:
            raise SourceError(f"{where}: nbgrader metadata needs schema_version 3")
        missing = {"grade", "solution", "locked"} - set(meta)
        if missing:
            raise SourceError(f"{where}: nbgrader metadata lacks {sorted(missing)}")
        if meta["grade"] or meta["solution"] or meta["locked"]:
            grade_id = meta.get("grade_id", "")
            if not re.fullmatch(r"[A-Za-z0-9_\-]+", grade_id):
                raise SourceError(f"{where}: grade_id {grade_id!r} must be letters, digits, '_' or '-'")
            if grade_id in seen:
                raise SourceError(f"{where}: grade_id {grade_id!r} is used twice")
            seen.add(grade_id)
        if meta["grade"] and "points" not in meta:
            raise SourceError(f"{where}: a grade cell needs points")


def _version(source, name, edit_source, kind):
    validate(source, name)
    notebook = copy.deepcopy(source)
    for index, cell in enumerate(notebook.cells):
        cell.source = edit_source(cell, f"{name}, cell {index}")
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook.metadata["course"] = {"generated_from": f"source/{name}", "version": kind,
                                   "checksum": checksum(notebook)}
    return notebook


def student_version(source, name="source"):
    """The student notebook: solution regions replaced by nbgrader's stub, hidden tests removed, cells locked."""
    notebook = _version(source, name, _student_source, "exercises")
    for cell in notebook.cells:
        _lock(cell)
    return notebook


def solution_version(source, name="source"):
    """The solution notebook: the source without its markers and without outputs."""
    return _version(source, name, _solution_source, "solutions")


def _lock(cell):
    # As nbgrader's LockCells: solution cells cannot be deleted; grade and read-only cells cannot be edited either.
    meta = _nbgrader(cell)
    if meta.get("solution"):
        cell.metadata["deletable"] = False
    elif meta.get("grade") or meta.get("locked"):
        cell.metadata["deletable"] = False
        cell.metadata["editable"] = False


def checksum(notebook):
    """What a student can change: the cells' kinds and texts (running a cell changes nothing that counts)."""
    cells = [[cell.cell_type, cell.source] for cell in notebook.cells]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def edited(notebook):
    """Whether a generated notebook's cells differ from what was generated (a notebook without a checksum has)."""
    return notebook.metadata.get("course", {}).get("checksum") != checksum(notebook)


def sources(root=NOTEBOOKS):
    return sorted((root / "source").glob("*.ipynb"))


def _generated(root):
    """(path, notebook) for every notebook the sources under `root` give."""
    for path in sources(root):
        source = nbformat.read(path, as_version=4)
        yield root / "exercises" / path.name, student_version(source, path.name)
        yield root / "solutions" / path.name, solution_version(source, path.name)


def out_of_date(root=NOTEBOOKS):
    """The generated notebooks that are missing or not what their source gives, as paths relative to `root`."""
    stale = [path for path, notebook in _generated(root)
             if not path.exists() or path.read_text(encoding="utf-8") != nbformat.writes(notebook) + "\n"]
    orphans = [path for folder in ("exercises", "solutions") for path in sorted((root / folder).glob("*.ipynb"))
               if not (root / "source" / path.name).exists()]
    return [path.relative_to(root).as_posix() for path in stale + orphans]


def generate(root=NOTEBOOKS, names=(), force=False):
    """Write the generated notebooks. Returns (written, kept): kept are student notebooks with changes of their own."""
    written, kept = [], []
    for path, notebook in _generated(root):
        if names and not any(path.stem.startswith(name) for name in names):
            continue
        text = nbformat.writes(notebook) + "\n"
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        if path.exists() and path.parent.name == "exercises":
            current = nbformat.read(path, as_version=4)
            if edited(current):
                if not force:
                    unchanged = current.metadata.get("course", {}).get("checksum") == notebook.metadata.course.checksum
                    if not unchanged:
                        kept.append(path)
                    continue
                shutil.copy2(path, backup_path(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written, kept


def backup_path(path):
    """Where `--force` keeps a student notebook it replaces: beside it, named for the time (git ignores these)."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate, number = path.with_name(f"{path.name}.bak-{stamp}"), 1
    while candidate.exists():
        candidate, number = path.with_name(f"{path.name}.bak-{stamp}-{number}"), number + 1
    return candidate


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course.exercises", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="only the exercise sets whose names start so (e.g. 02)")
    parser.add_argument("--force", action="store_true",
                        help="also replace student notebooks changed since they were generated (keeping a backup)")
    parser.add_argument("--check", action="store_true", help="write nothing; fail if a generated notebook is stale")
    parser.add_argument("--root", type=pathlib.Path, default=NOTEBOOKS, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    try:
        if options.check:
            stale = out_of_date(options.root)
            for path in stale:
                print(f"{path} is not what its source gives: run `make exercises`.")
            return 1 if stale else 0
        written, kept = generate(options.root, options.names, options.force)
    except SourceError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {_shown(path)}")
    if not written and not kept:
        print("The student and solution notebooks are up to date.")
    for path in kept:
        print(f"kept {_shown(path)}: it has changes of its own since it was generated, so it was not replaced.\n"
              f"  To replace it (the current file is kept as {path.name}.bak-<time>), run\n"
              f"  python -m course.exercises --force {path.stem}   (or: make exercises FORCE=1)", file=sys.stderr)
    return 1 if kept else 0


def _shown(path):
    try:
        return path.resolve().relative_to(pathlib.Path.cwd()).as_posix()
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
