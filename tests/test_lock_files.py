"""The lock files pin every declared dependency inside its range, with hashes
(scripts/check_lock.py, also a CI step); a stale lock fails with the fix command."""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
problems = runpy.run_path(str(ROOT / "scripts" / "check_lock.py"))["problems"]


def test_the_committed_lock_files_match_pyproject():
    result = subprocess.run(
        [sys.executable, "scripts/check_lock.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_dependency_missing_from_the_lock_is_reported(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==5.2.8 \\\n    --hash=sha256:abc\n")
    found = problems(lock, ["Django>=5.2,<5.3", "brand-new-lib>=1"])
    assert found == ["requirements.lock: brand-new-lib is not pinned"]


def test_a_pin_outside_the_declared_range_is_reported(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==6.0 \\\n    --hash=sha256:abc\n")
    assert problems(lock, ["Django>=5.2,<5.3"]) == [
        "requirements.lock: Django==6.0 is outside <5.3,>=5.2"
    ]


def test_a_lock_without_hashes_is_reported(tmp_path):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==5.2.8\n")
    assert problems(lock, ["Django>=5.2,<5.3"]) == [
        "requirements.lock: no hashes (generate with --generate-hashes)"
    ]


def test_make_install_uses_the_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert "scripts/check_lock.py" in (ROOT / ".ci" / "run").read_text()
