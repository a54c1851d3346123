"""CPU time per request during a scenario, by process, read from Linux's /proc.

Requests per second on two shared cores follow from what one request costs the
whole machine: the web workers, the task worker working off what the requests
enqueued, PostgreSQL's backends and the load generator. ``CpuMeter`` adds up
the user and system time of each group between ``start`` and ``stop``, so the
benchmark can say where a request's time goes instead of only how many fit
into a second. Processes are classified by what they are (gunicorn's master
and its workers, the task worker's pid, processes named ``postgres``); the
load generator (wrk) has exited by ``stop`` and is counted from the benchmark's
own reaped children (``resource.RUSAGE_CHILDREN``).
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
#: The groups in the order the benchmark's table names them.
GROUPS = ("web", "worker", "database", "load")
#: Clock ticks per second, the unit of /proc's CPU times.
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuPerRequest:
    """Milliseconds of CPU per completed request, by group."""

    web: float
    worker: float
    database: float
    load: float

    @property
    def total(self) -> float:
        return self.web + self.worker + self.database + self.load

    def __str__(self) -> str:
        return (
            f"{self.total:.1f} = {self.web:.1f} + {self.worker:.1f} + "
            f"{self.database:.1f} + {self.load:.1f}"
        )


def _stat(pid_dir: Path) -> tuple[int, str, int, float] | None:
    """(pid, command name, parent pid, CPU seconds) of one process, or None if gone."""
    try:
        raw = (pid_dir / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses.
    head, _, tail = raw.rpartition(")")
    pid, _, comm = head.partition(" (")
    fields = tail.split()
    return int(pid), comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS


def group_seconds(*, web_pid: int, worker_pid: int | None) -> dict[str, float]:
    """CPU seconds used so far by each group: the web server (its master and
    workers), the task worker, PostgreSQL, and this process's reaped children."""
    totals = dict.fromkeys(GROUPS, 0.0)
    for pid_dir in PROC.iterdir():
        if not pid_dir.name.isdigit():
            continue
        stat = _stat(pid_dir)
        if stat is None:
            continue
        pid, comm, ppid, seconds = stat
        if web_pid in (pid, ppid):
            totals["web"] += seconds
        elif pid == worker_pid:
            totals["worker"] += seconds
        elif comm == "postgres":
            totals["database"] += seconds
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    totals["load"] = usage.ru_utime + usage.ru_stime
    return totals


def available() -> bool:
    return (PROC / "self" / "stat").exists()


class CpuMeter:
    """CPU per request of one scenario: ``start()`` before the load, ``stop(n)`` after."""

    def __init__(self, *, web_pid: int, worker_pid: int | None) -> None:
        self.web_pid, self.worker_pid = web_pid, worker_pid
        self._before: dict[str, float] | None = None

    def start(self) -> None:
        self._before = group_seconds(web_pid=self.web_pid, worker_pid=self.worker_pid)

    def stop(self, requests: int) -> CpuPerRequest | None:
        if self._before is None or requests <= 0:
            return None
        after = group_seconds(web_pid=self.web_pid, worker_pid=self.worker_pid)
        per = {g: max(after[g] - self._before[g], 0.0) * 1000 / requests for g in GROUPS}
        return CpuPerRequest(**per)
