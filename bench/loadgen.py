"""Run wrk with bench/wrk_report.lua and read back its figures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
WRK_TIMEOUT_SECONDS = 10
_MARKER = "BENCH_JSON "


@dataclass(frozen=True)
class Load:
    """What to send: request kind, path, concurrency, duration and the request's inputs."""

    kind: str  # list | get | create | toggle | patch | login (bench/wrk_report.lua)
    path: str
    connections: int
    seconds: float
    inputs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    """What wrk measured for one load."""

    requests: int
    seconds: float
    bytes: int
    socket_errors: dict[str, int]
    latency_ms: dict[str, float]
    statuses: dict[int, int]

    @property
    def requests_per_second(self) -> float:
        """Completed responses per second of the run."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        """Connect, read, write errors and timeouts (responses that never came)."""
        return sum(n for kind, n in self.socket_errors.items() if kind != "status")

    @property
    def non_2xx(self) -> int:
        """Responses whose status is not 2xx."""
        return sum(n for code, n in self.statuses.items() if not 200 <= code < 300)


def wrk_path() -> str:
    """The wrk binary; `make bench` installs Debian's when it is missing."""
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    return found


def start(base_url: str, load: Load) -> subprocess.Popen[str]:
    """Start wrk in the background (one thread: the machine's cores belong to the server)."""
    env = {
        **os.environ,
        "BENCH_KIND": load.kind,
        "BENCH_PATH": load.path,
        **load.inputs,
    }
    return subprocess.Popen(
        [
            wrk_path(),
            "-t1",
            f"-c{load.connections}",
            f"-d{max(1, round(load.seconds))}s",
            f"--timeout={WRK_TIMEOUT_SECONDS}s",
            "-s",
            str(LUA_SCRIPT),
            f"{base_url}{load.path}",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> LoadResult:
    """Wait for wrk and parse the JSON line the Lua script printed."""
    output, _ = process.communicate()
    for line in output.splitlines():
        if line.startswith(_MARKER):
            data = json.loads(line[len(_MARKER) :])
            break
    else:
        raise RuntimeError(f"wrk printed no figures:\n{output}")
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        bytes=data["bytes"],
        socket_errors=data["errors"],
        latency_ms={k: v / 1000 for k, v in data["latency_us"].items()},
        statuses={int(code): n for code, n in data["statuses"].items()},
    )


def run(base_url: str, load: Load) -> LoadResult:
    """Run one load to the end."""
    return finish(start(base_url, load))
