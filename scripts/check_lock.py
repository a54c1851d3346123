"""Fails when requirements.lock / requirements-dev.lock no longer match pyproject.toml.

Every dependency declared in pyproject.toml (and, for the dev lock, its ``dev``
extra) must be pinned in the lock with a version inside the declared range. A
dependency added to pyproject.toml without ``make lock`` fails here, loudly and
with the command that fixes it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", re.MULTILINE)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(n): v for n, v in PIN.findall(lock.read_text(encoding="utf-8"))}


def problems(lock: Path, declared: list[str]) -> list[str]:
    if not lock.exists():
        return [f"{lock.name} is missing"]
    pinned = pins(lock)
    found = []
    for line in declared:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        version = pinned.get(name)
        if version is None:
            found.append(f"{lock.name}: {requirement.name} is not pinned")
        elif not requirement.specifier.contains(version, prereleases=True):
            found.append(
                f"{lock.name}: {requirement.name}=={version} is outside {requirement.specifier}"
            )
    if "--hash=sha256:" not in lock.read_text(encoding="utf-8"):
        found.append(f"{lock.name}: no hashes (generate with --generate-hashes)")
    return found


def main() -> int:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = project["dependencies"]
    dev = project["optional-dependencies"]["dev"]
    found = problems(ROOT / "requirements.lock", runtime)
    found += problems(ROOT / "requirements-dev.lock", runtime + dev)
    if found:
        print("The lock files do not match pyproject.toml:", file=sys.stderr)
        for problem in found:
            print("  - " + problem, file=sys.stderr)
        print("Fix: run `make lock` and commit requirements*.lock.", file=sys.stderr)
        return 1
    print(f"lock files match pyproject.toml ({len(runtime)} + {len(dev)} dependencies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
