"""What the oracle scripts share: finding and running adthresh, reading its JSON
output, counting the tests and the main() around them.

Every script's main() is run_suite(NAME, check_all), which

  - checks that the binary (ADTHRESH=PATH, default build/adthresh; relative
    to the repo root) is executable; if it is not, says so on stderr, prints
    `NAME: 0 passed, 1 failed` and returns 1
  - makes the folder for the generated files: a temporary one, or with
    ORACLE_KEEP=DIR one that is kept (a new folder NAME-XXXXXXXX in DIR, or
    DIR itself), and calls check_all(work, suite) with it as a Path; an
    exception from check_all (a bug in the oracle) is a failure, `oracle`
  - prints the suite's notes, then `NAME: [LEAD, ]R runs in S s` (LEAD what
    check_all returned, if anything, such as "63 cases"; another word than
    "runs" if the script names one; `; files kept in DIR` after it when the
    files are kept) and, last, `NAME: N passed, M failed`, and returns 1 if
    anything failed, else 0.

Suite.record prints each failure as `FAIL name: problem`, one line a
problem, followed by `     (context)` when there is a context.

The scripts import it before numpy and the like, so it uses only the
standard library.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RUN_TIMEOUT = 120  # seconds per adthresh run


@contextlib.contextmanager
def needs(name, what):
    """Around a script's imports: a missing library ends it with a hint."""
    try:
        yield
    except ImportError as exc:  # pragma: no cover - environment problem
        sys.exit(f"{name}: needs {what} ({exc}); run it with /usr/bin/python3")


# ---------------------------------------------------------------------------
# Running adthresh


def adthresh_path():
    path = Path(os.environ.get("ADTHRESH") or "build/adthresh")
    return path if path.is_absolute() else REPO / path


def run(args):
    """adthresh ARGS: (exit status, or None if it did not finish; stdout; stderr)."""
    cmd = [str(adthresh_path()), *map(str, args)]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=RUN_TIMEOUT,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {RUN_TIMEOUT} s"
    except OSError as exc:  # e.g. the binary is being rebuilt
        return None, "", f"cannot run {cmd[0]}: {exc}"
    return p.returncode, p.stdout, p.stderr


def first_line(text):
    text = text.strip()
    return text.splitlines()[0] if text else "(empty)"


def parse_json(rc, out, err, want_rc=0, object_pairs_hook=None, level=None):
    """(document or None, problems): the run must exit with want_rc and print a
    JSON object; with level, one that has that object ("image", "pixel")."""
    if rc != want_rc:
        return None, [f"exit: expected {want_rc}, got {rc}; stderr: {first_line(err)}"]
    try:
        doc = json.loads(out, object_pairs_hook=object_pairs_hook)
    except ValueError as exc:
        return None, [f"output: not JSON ({exc}): {first_line(out)}"]
    if level and not (isinstance(doc, dict) and isinstance(doc.get(level), dict)):
        return None, [f"output: no \"{level}\" object: {first_line(out)}"]
    if not isinstance(doc, dict):
        return None, [f"output: not an object: {first_line(out)}"]
    return doc, []


# ---------------------------------------------------------------------------
# Counting


@dataclass
class Result:
    """One test, as a worker process hands it back for Suite.report."""

    label: str  # "case/run"
    problems: list = field(default_factory=list)
    context: str = ""  # the command line or how the input was written, shown with failures


class Suite:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.notes = []  # lines printed before the summary

    def record(self, name, problems, context=""):
        if problems:
            self.failed += 1
            for p in problems:
                print(f"FAIL {name}: {p}")
            if context:
                print(f"     ({context})")
        else:
            self.passed += 1
        sys.stdout.flush()

    def report(self, results):
        for r in results:
            self.record(r.label, r.problems, r.context)


def run_suite(name, check_all, unit="runs", keep_in_new_folder=True):
    """A script's main(); see the module's docstring.  unit: what R counts."""
    warnings.simplefilter("ignore")
    binary = adthresh_path()
    if not os.access(binary, os.X_OK):
        print(f"{name}: {binary} is missing or not executable (run make first)",
              file=sys.stderr)
        print(f"{name}: 0 passed, 1 failed")
        return 1
    start = time.monotonic()
    suite = Suite()
    keep = os.environ.get("ORACLE_KEEP")
    if keep:
        os.makedirs(keep, exist_ok=True)
        if keep_in_new_folder:  # a fresh folder inside DIR, never deleting anything there
            keep = tempfile.mkdtemp(prefix=f"{name}-", dir=keep)
        context = contextlib.nullcontext(keep)
    else:
        context = tempfile.TemporaryDirectory(prefix=f"adthresh-{name}-")
    lead = None
    with context as work:
        try:
            lead = check_all(Path(work), suite)
        except Exception as exc:  # a bug in the oracle itself: report it as a failure
            traceback.print_exc()
            suite.record("oracle", [f"oracle error: {exc!r}"])
    elapsed = time.monotonic() - start
    for note in suite.notes:
        print(note)
    lead = f"{lead}, " if lead else ""
    where = f"; files kept in {keep}" if keep else ""
    print(f"{name}: {lead}{suite.passed + suite.failed} {unit} in {elapsed:.1f} s{where}")
    print(f"{name}: {suite.passed} passed, {suite.failed} failed")
    return 1 if suite.failed else 0
