"""bench/cpu.py: CPU per request is counted for the processes it names, from /proc."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bench import cpu

pytestmark = pytest.mark.skipif(not cpu.available(), reason="needs Linux's /proc")

BUSY = "import time\nend = time.process_time() + {seconds}\nwhile time.process_time() < end: pass\n"


def python_with_stdin(code: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - the test's own interpreter and code
        [sys.executable, "-c", code], stdin=subprocess.PIPE
    )


def release(process: subprocess.Popen) -> None:
    """Close the child's stdin: it (and a child inheriting it) ends."""
    assert process.stdin is not None
    process.stdin.close()


def busy(seconds: float) -> subprocess.Popen:
    """A child that burns ``seconds`` of CPU, then waits for its stdin to close."""
    code = BUSY.format(seconds=seconds) + "import sys\nsys.stdin.read()\n"
    return python_with_stdin(code)


def wait_for_cpu(pid: int, seconds: float) -> None:
    deadline = time.monotonic() + 30
    while cpu.group_seconds(web_pid=-1, worker_pid=pid)["worker"] < seconds:
        assert time.monotonic() < deadline, "the busy child did not get its CPU time"
        time.sleep(0.05)


def test_the_worker_group_counts_the_named_process_per_request():
    target = busy(0.3)
    try:
        meter = cpu.CpuMeter(web_pid=-1, worker_pid=target.pid)
        meter.start()
        wait_for_cpu(target.pid, 0.3)
        result = meter.stop(requests=100)
    finally:
        release(target)
        target.wait(timeout=10)
    assert result is not None
    # 0.3 s over 100 requests: 3 ms each, give or take the interpreter's start
    # (part of it may fall before the meter starts, all of it after).
    assert 2.0 <= result.worker <= 5.0
    assert result.web == 0 and result.total >= result.worker


def test_children_of_the_web_server_count_as_web():
    # Like gunicorn: a master that does nothing, a child (inheriting its stdin) that works.
    child_code = BUSY.format(seconds=0.2) + "import sys\nsys.stdin.read()\n"
    parent = python_with_stdin(
        f"import subprocess, sys\nsubprocess.Popen([sys.executable, '-c', {child_code!r}]).wait()\n"
    )
    try:
        meter = cpu.CpuMeter(web_pid=parent.pid, worker_pid=None)
        meter.start()
        deadline = time.monotonic() + 30
        while cpu.group_seconds(web_pid=parent.pid, worker_pid=None)["web"] < 0.2:
            assert time.monotonic() < deadline, "the web server's child was not counted"
            time.sleep(0.05)
        result = meter.stop(requests=10)
    finally:
        release(parent)
        parent.wait(timeout=10)
    assert result is not None and result.web >= 10  # at least 0.1 s over 10 requests
    assert result.worker == 0


def test_no_requests_gives_no_figure():
    meter = cpu.CpuMeter(web_pid=-1, worker_pid=None)
    meter.start()
    assert meter.stop(requests=0) is None


def test_the_figure_reads_as_its_sum():
    figure = cpu.CpuPerRequest(web=5.5, worker=3.0, database=2.3, load=0.1)
    assert str(figure) == "10.9 = 5.5 + 3.0 + 2.3 + 0.1"
