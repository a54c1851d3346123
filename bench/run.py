"""`make bench`: the portal, production-style, against Django's own floor.

Starts gunicorn (2 sync workers, DJANGO_DEBUG=0, PostgreSQL via DATABASE_URL)
on loopback with bench/settings.py, seeds what the scenarios need
(bench/seed.py), drives each scenario with wrk (Debian's package) for a
bounded time, and writes requests/s, p50/p99 latency, errors and the ratio to
the baseline into docs/benchmarks.md between the bench:http markers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cpu import CpuMeter, CpuPerRequest, available

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- bench:http:start -->", "<!-- bench:http:end -->"
#: Pause after each wrk run (see run_wrk).
SETTLE_SECONDS = 3


@dataclass
class Result:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    baseline: str | None = None
    ratio: float | None = None
    cpu: CpuPerRequest | None = None


def bench_env(database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        SITE_URL=f"http://127.0.0.1:{port}",
        PYTHONPATH=str(ROOT),
        # The task worker sends the helpdesk notifications to nowhere; the
        # scenario with a hanging SMTP server sets its own EMAIL_URL.
        EMAIL_URL="dummymail://",
    )
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1].split("?")[0]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_row (id bigserial PRIMARY KEY, "
            "created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
        )


def empty_queue(database_url: str) -> None:
    """Drop the task rows of earlier runs (the benchmark's own database): retries
    left by the hanging-SMTP scenario would otherwise fall due in the next run
    and load its baselines."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("DELETE FROM django_tasks_database_dbtaskresult")
        # The deleted rows' dead versions would otherwise slow every claim of
        # the run until autovacuum comes by.
        conn.execute("VACUUM (ANALYZE) django_tasks_database_dbtaskresult")


NOTIFY_TASK = "orders.tasks.notify_helpdesk_of_order"


def worker_lag(database_url: str, timeout: float = 120) -> str:
    """Whether the task worker kept up with the submissions: waits until no
    helpdesk e-mail task is left waiting, then says how many were sent and how
    long after the last order the last one went (the queue was emptied at the
    start, so every such task is this scenario's)."""
    import psycopg

    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as conn:
        while True:
            waiting = conn.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                "WHERE task_path = %s AND status IN ('READY', 'RUNNING')",
                [NOTIFY_TASK],
            ).fetchone()[0]  # type: ignore[index]
            if not waiting or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        sent, lag = conn.execute(  # type: ignore[misc]
            "SELECT count(*), extract(epoch FROM max(finished_at) - max(enqueued_at)) "
            "FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = %s AND status = 'SUCCESSFUL'",
            [NOTIFY_TASK],
        ).fetchone()
    line = (
        f"- order submission: the task worker sent {sent} helpdesk e-mails, the last "
        f"{float(lag or 0):.1f} s after the last order"
    )
    return line + (f"; {waiting} still waiting after {timeout:.0f} s." if waiting else ".")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not come up at {url}")


def expect_200(url: str, *, cookie: str) -> None:
    """Raise unless a GET of ``url`` with ``cookie`` answers 200 itself (no redirect)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        conn.request(
            "GET",
            parts.path + (f"?{parts.query}" if parts.query else ""),
            headers={"Cookie": cookie},
        )
        status = conn.getresponse().status
    finally:
        conn.close()
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200: the benchmark would measure that")


def search(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    match = re.search(pattern, text, flags)
    if match is None:
        raise SystemExit(f"unexpected wrk output, no {pattern!r}:\n{text}")
    return match


def parse_ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if match is None:
        raise SystemExit(f"unexpected latency {value!r}")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(
    name: str,
    url: str,
    *,
    seconds: int,
    connections: int,
    headers: list[str] | None = None,
    script: Path | None = None,
    script_env: dict[str, str] | None = None,
    quiet: bool = False,
    meter: CpuMeter | None = None,
) -> Result:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for header in headers or []:
        cmd += ["-H", header]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    if meter:
        meter.start()
    out = subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(script_env or {})},
        timeout=seconds + 60,
    ).stdout
    rps = float(search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(search(r"(\d+) requests in", out).group(1))
    p50 = parse_ms(search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = parse_ms(search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in m.groups())
    if not quiet:
        print(f"{name:40s} {rps:9.1f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  errors {errors}")
    # wrk stops sending, but gunicorn still works off the requests already in
    # its listen queue (a slow page leaves seconds of them): let it finish so
    # the next scenario does not start behind them.
    # The CPU count runs on through the pause: what a request leaves queued (its
    # task, a queued request's answer) is part of its cost.
    time.sleep(SETTLE_SECONDS)
    cpu = meter.stop(requests) if meter else None
    if cpu and not quiet:
        print(f"{'':40s} CPU ms/request {cpu} (web + worker + database + load)")
    return Result(name, rps, p50, p99, requests, errors, cpu=cpu)


def run_submissions(
    name: str,
    base: str,
    seed: dict,
    *,
    seconds: int,
    connections: int,
    meter: CpuMeter | None = None,
) -> Result:
    """wrk posting the order form once per seeded link (bench/submit.lua)."""
    return run_wrk(
        name,
        base + "/",
        seconds=seconds,
        connections=connections,
        script=ROOT / "bench" / "submit.lua",
        script_env={"BENCH_SUBMITS": seed["submit_file"]},
        meter=meter,
    )


class HangingMailServer:
    """aiosmtpd handler: greets, then never answers RCPT (longer than EMAIL_TIMEOUT)."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        await asyncio.sleep(3600)
        return "250 OK"


def start_worker(env: dict[str, str]) -> subprocess.Popen:
    """The task worker next to gunicorn, as `make serve` runs it: its CPU counts."""
    return subprocess.Popen(
        [PY, "manage.py", "run_worker", "--no-reload", "--no-startup-delay", "-v", "0"],
        cwd=ROOT,
        env=env,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=30)


def seed_links(env: dict[str, str], links: int) -> dict:
    return json.loads(
        subprocess.run(
            [PY, "bench/seed.py", "--links", str(links)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def write_doc(results: list[Result], notes: list[str], command: str) -> None:
    lines = [
        START,
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        "gunicorn 2 sync workers, one task worker, PostgreSQL on loopback, "
        "wrk on the same machine) "
        f"with `{command}`.",
        "",
        "CPU ms/request: the machine's CPU time per completed request, from the",
        "start of the scenario to the end of the pause after it (bench/cpu.py),",
        "as web server + task worker + PostgreSQL + wrk.",
        "",
        "| scenario | req/s | p50 ms | p99 ms | requests | errors | vs. baseline "
        "| CPU ms/request |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in results:
        ratio = f"{r.ratio:.0%} of {r.baseline}" if r.ratio is not None else "(baseline)"
        lines.append(
            f"| {r.name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.requests} "
            f"| {r.errors} | {ratio} | {r.cpu or '-'} |"
        )
    lines += ["", *notes, END]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = "\n".join(lines)
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), block, text, flags=re.S)
    else:
        heading = "## HTTP throughput and latency (`make bench`)"
        text = f"{text.rstrip()}\n\n{heading}\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


#: Seeded addresses that are read in a scenario (GET): warmed up before measuring.
WARM_KEYS = ("info_url", "order_url", "legal_url", "pdf_url")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each scenario")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--port", type=int, default=8780)
    parser.add_argument("--no-write", action="store_true", help="print only, leave the docs")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it as root)")
    database_url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lenze_bench"
    )
    if not database_url.startswith("postgres"):
        raise SystemExit("the benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://...")
    env = bench_env(database_url, args.port)
    ensure_database(database_url)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    empty_queue(database_url)
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    seed = seed_links(env, args.seconds * 800)
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "bench.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    worker = start_worker(env)
    results: list[Result] = []
    notes: list[str] = []
    try:
        wait_up(base + "/healthz")
        common = {"seconds": args.seconds, "connections": args.connections}

        def meter() -> CpuMeter | None:
            # The worker in place now (the hanging-SMTP scenario starts its own).
            return CpuMeter(web_pid=server.pid, worker_pid=worker.pid) if available() else None

        # Unrecorded warm-up of every address, baselines included: the first
        # requests of a fresh worker load templates, translations, prepared
        # statements and caches, and the task worker is still starting.
        for path in ["/__bench__/page", *(seed[k] for k in WARM_KEYS if k in seed)]:
            run_wrk("(warm-up)", base + path, seconds=2, connections=args.connections, quiet=True)
        run_wrk(
            "(warm-up)",
            base + "/__bench__/insert",
            script=ROOT / "bench" / "post.lua",
            seconds=2,
            connections=args.connections,
            quiet=True,
        )
        page = run_wrk(
            "baseline: bare template view", base + "/__bench__/page", **common, meter=meter()
        )
        insert = run_wrk(
            "baseline: bare insert",
            base + "/__bench__/insert",
            script=ROOT / "bench" / "post.lua",
            **common,
            meter=meter(),
        )
        results += [page, insert]
        for key, label in [
            ("info_url", "public info page"),
            ("order_url", "order page (GET)"),
            ("legal_url", "current ASB page"),
            ("pdf_url", "stored ASB PDF"),
        ]:
            if key not in seed:
                notes.append(f"- {label}: not measured (the seed provides no address).")
                continue
            r = run_wrk(label, base + seed[key], **common, meter=meter())
            r.baseline, r.ratio = "bare page", r.rps / page.rps
            results.append(r)
        if "admin_list_url" in seed:
            # wrk counts a redirect as a success: make sure the session gets the
            # list itself, not the way to the second factor.
            expect_200(base + seed["admin_list_url"], cookie=seed["admin_cookie"])
            r = run_wrk(
                "admin order list (agent)",
                base + seed["admin_list_url"],
                headers=[f"Cookie: {seed['admin_cookie']}"],
                **common,
                meter=meter(),
            )
            r.baseline, r.ratio = "bare page", r.rps / page.rps
            results.append(r)
        else:
            notes.append("- admin order list: not measured (no order admin yet).")
        if "submit_file" in seed:
            r = run_submissions(
                "order submission (fresh link each)", base, seed, **common, meter=meter()
            )
            r.baseline, r.ratio = "bare insert", r.rps / insert.rps
            results.append(r)
            submit = r
            notes.append(worker_lag(database_url))
        else:
            notes.append("- order submission: not measured (no order flow yet).")
        if "submit_file" in seed:
            # The same submissions while the worker's mail server accepts the
            # connection and then never answers: the requests must not notice.
            from aiosmtpd.controller import Controller

            stop(worker)
            smtp_port = args.port + 1
            controller = Controller(HangingMailServer(), hostname="127.0.0.1", port=smtp_port)
            controller.start()
            try:
                worker = start_worker(
                    {**env, "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "EMAIL_TIMEOUT": "10"}
                )
                seed = seed_links(env, args.seconds * 800)
                r = run_submissions(
                    "order submission while the SMTP server hangs",
                    base,
                    seed,
                    **common,
                    meter=meter(),
                )
                r.baseline, r.ratio = "normal submission", r.rps / submit.rps
                results.append(r)
            finally:
                stop(worker)
                controller.stop()
    finally:
        stop(worker)
        server.terminate()
        server.wait(timeout=30)
    if not args.no_write:
        write_doc(results, notes, "make bench")
        print(f"written to {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    tempfile.tempdir = None
    sys.exit(main())
