"""Lighthouse scores of the customer pages under `make serve`.

Runs Google's Lighthouse (npm package `lighthouse`, through npx) with Debian's
Chromium against a running portal and prints one table row per page and
language: performance, accessibility, best practices and SEO (0-100), plus
the failing audits of the last three, which are what a score below 100 means.

    make serve PORT=8716 &
    CHROME_PATH=/usr/bin/chromium .venv/bin/python bench/lighthouse.py \\
        --base http://127.0.0.1:8716 --page info=/ --page order=/auftrag/<token>/ ...

Default: Lighthouse's mobile profile with simulated throttling (slow 4G, 4x
CPU slowdown); `--desktop` uses its desktop preset.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def run(url: str, *, desktop: bool, command: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        cmd = [
            *command,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if desktop:
            cmd.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
        done = subprocess.run(cmd, env=env, timeout=300, capture_output=True, text=True)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
        report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--page", action="append", default=[], help="name=path")
    parser.add_argument("--desktop", action="store_true")
    parser.add_argument("--save", type=Path, help="folder for the full JSON reports")
    args = parser.parse_args()
    # `lighthouse` on PATH (e.g. node_modules/.bin of an `npm install --prefix`),
    # else the one npx finds in the current folder's node_modules.
    lighthouse, npx = shutil.which("lighthouse"), shutil.which("npx")
    if lighthouse:
        command = [lighthouse]
    elif npx:
        command = [npx, "--no-install", "lighthouse"]
    else:
        raise SystemExit("lighthouse missing: install Node.js and `npm install lighthouse@12`")
    print("| page | performance | accessibility | best practices | SEO | not passed |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for spec in args.page:
        name, path = spec.split("=", 1)
        try:
            report = run(args.base + path, desktop=args.desktop, command=command)
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            print(f"| {name} | failed: {error} | | | | |")
            continue
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{name}.json").write_text(json.dumps(report), encoding="utf-8")
        categories, audits = report["categories"], report["audits"]
        scores = [round(categories[c]["score"] * 100) for c in CATEGORIES]
        failed = sorted(
            audit_id
            for c in CATEGORIES[1:]
            for ref in categories[c]["auditRefs"]
            if ref["weight"] > 0
            and (audit_id := ref["id"]) in audits
            and audits[audit_id]["score"] is not None
            and audits[audit_id]["score"] < 1
        )
        print(f"| {name} | {' | '.join(map(str, scores))} | {', '.join(failed) or '-'} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
