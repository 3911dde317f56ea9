"""classwork/: the copy of the course that a class opens, runs, edits and saves, so that notebooks/ stays as stored.

`refresh` copies what the course has and the copy lacks, and replaces a copy by the course's newer version only
where the student has not changed it; a copy the student has changed is kept, always. What counts as a change is
what the exercise generator counts (`course.exercises.checksum`): the cells' kinds and texts, not their outputs.
The checksum of each file as it was copied is kept in classwork/.course.json.

A copy differs from the course's notebook in one thing only, which is no change for the checksum: a cell
that continues the slide above it is unmarked rather than marked "-", as the lab's slideshow reads it (see
`unmark_continuing_cells`); each refresh does that to every copy of a course notebook, kept ones too.
"""
import dataclasses
import hashlib
import json
import pathlib
import shutil

import nbformat

from course.exercises import checksum as notebook_checksum

REPO = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
CLASSWORK = REPO / "classwork"
MANIFEST = ".course.json"
# The exercise sources hold the solutions; instructors edit them in notebooks/source/ and run `make exercises`.
NOT_COPIED = ("source",)


@dataclasses.dataclass
class Refresh:
    """What `refresh` did, as paths relative to the copy."""
    copied: list = dataclasses.field(default_factory=list)
    updated: list = dataclasses.field(default_factory=list)
    kept: list = dataclasses.field(default_factory=list)

    def lines(self, shown_as="classwork"):
        """What to tell the student, one line each."""
        lines = []
        if self.copied:
            lines.append(f"{shown_as}/: copied {len(self.copied)} file(s) of the course, yours to edit and save.")
        lines += [f"{shown_as}/{path}: updated to the course's new version." for path in self.updated]
        lines += [f"{shown_as}/{path}: kept as you changed it; the course has a newer version. To have it, rename "
                  f"yours and start again." for path in self.kept]
        return lines


def course_files(notebooks=NOTEBOOKS):
    """The course's files to copy, relative to `notebooks`: everything but the exercise sources and hidden files."""
    for path in sorted(notebooks.rglob("*")):
        relative = path.relative_to(notebooks)
        if path.is_file() and relative.parts[0] not in NOT_COPIED and not any(
            part.startswith(".") or ".bak-" in part for part in relative.parts
        ):
            yield relative


def file_checksum(path):
    """A notebook's `course.exercises.checksum`, any other file's SHA-256; None for a notebook that does not parse."""
    if path.suffix != ".ipynb":
        return hashlib.sha256(path.read_bytes()).hexdigest()
    try:
        return notebook_checksum(nbformat.read(path, as_version=4))
    except (ValueError, KeyError, nbformat.ValidationError):
        return None


def refresh(notebooks=NOTEBOOKS, classwork=CLASSWORK) -> Refresh:
    """Bring the copy up to date with the course, never replacing a file the student has changed."""
    classwork.mkdir(parents=True, exist_ok=True)
    manifest_path = classwork / MANIFEST
    copied_as = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    done = Refresh()
    for relative in course_files(notebooks):
        key, source, copy = relative.as_posix(), notebooks / relative, classwork / relative
        course = file_checksum(source)
        if not copy.exists():
            done.copied.append(key)
        elif copied_as.get(key) == course:
            continue
        else:
            current = file_checksum(copy)
            if current == course:
                copied_as[key] = course  # the same cells already: the student's outputs stay
                continue
            if current is None or current != copied_as.get(key):
                done.kept.append(key)
                continue
            done.updated.append(key)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy)
        copied_as[key] = course
    for relative in course_files(notebooks):
        unmark_continuing_cells(classwork / relative)  # kept copies too: it changes no cell's kind or text
    manifest_path.write_text(json.dumps(copied_as, indent=1, sort_keys=True) + "\n")
    return done


CONTINUES_SLIDE = "-"


def unmark_continuing_cells(path) -> int:
    """Drop the slide type "-" (the cell continues the slide above it) from a notebook's cells; return how many.

    nbconvert and JupyterLab's property inspector read a cell without a slide type as "-", but the lab's
    slideshow (jupyterlab-slideshow) shows only the slide types it knows, and "-" is not one of them: such a
    cell would never appear on a slide. A notebook without such cells, a notebook that does not parse, and any
    other file are left as they are, byte for byte."""
    if pathlib.Path(path).suffix != ".ipynb":
        return 0
    try:
        notebook = nbformat.read(path, as_version=4)
    except ValueError:
        return 0
    unmarked = 0
    for cell in notebook.cells:
        slideshow = cell.metadata.get("slideshow", {})
        if slideshow.get("slide_type") == CONTINUES_SLIDE:
            del slideshow["slide_type"]
            if not slideshow:
                del cell.metadata["slideshow"]
            unmarked += 1
    if unmarked:
        nbformat.write(notebook, path)
    return unmarked
