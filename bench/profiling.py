"""Sample the server with py-spy during a load and summarise where its time goes."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from bench.server import PROJECT_ROOT

# Leaf frames are bucketed by the package their file belongs to.
_BUCKETS = (
    ("todo_app", "/todo_app/"),
    ("sqlalchemy", "/sqlalchemy/"),
    ("sqlmodel", "/sqlmodel/"),
    ("psycopg2 (driver, network wait)", "/psycopg2/"),
    ("pydantic", "/pydantic"),
    ("fastapi", "/fastapi/"),
    ("starlette", "/starlette/"),
    ("anyio (thread pool hand-off)", "/anyio/"),
    ("reflex", "/reflex"),
    ("granian", "/granian/"),
    ("jwt", "/jwt/"),
    ("bcrypt", "/bcrypt/"),
    ("json", "/json/"),
    ("asyncio", "/asyncio/"),
    ("threading / queue", "/threading.py"),
    ("threading / queue", "/queue.py"),
)
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy_path() -> str | None:
    """py-spy from the project's virtualenv or PATH, if installed."""
    local = PROJECT_ROOT / ".venv" / "bin" / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def start_recording(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    """Sample `pid` and its children for `seconds` into a collapsed-stack file."""
    spy = py_spy_path()
    if spy is None:
        raise RuntimeError("py-spy is not installed: .venv/bin/pip install py-spy")
    return subprocess.Popen(
        [
            spy,
            "record",
            "--pid",
            str(pid),
            "--subprocesses",
            "--nonblocking",
            "--full-filenames",
            # Only the thread holding the GIL: where the Python CPU goes, not who waits.
            "--gil",
            "--rate",
            "199",
            "--duration",
            str(max(1, round(seconds))),
            "--format",
            "raw",
            "--output",
            str(output),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _bucket(frame: str) -> str:
    match = _FRAME.match(frame)
    path = match.group("file") if match else frame
    for name, marker in _BUCKETS:
        if marker in path:
            return name
    return "other"


def _short(frame: str) -> str:
    match = _FRAME.match(frame)
    if not match:
        return frame
    parts = Path(match.group("file")).parts
    return f"{match.group('function')} ({'/'.join(parts[-2:])})"


# Inclusive time is shown for these steps of a request (matched against the full frame).
_STEPS = (
    "/todo_app/",
    "fastapi/routing.py",
    "fastapi/dependencies/utils.py",
    "sqlalchemy/orm/session.py",
    "sqlalchemy/orm/loading.py",
    "sqlalchemy/orm/strategies.py",
    "sqlalchemy/pool/",
    "sqlalchemy/engine/base.py",
    "anyio/to_thread.py",
    "reflex/app.py",
)


def summarise(collapsed: Path, top: int = 15) -> str:
    """Self time per package and the busiest functions (self and inclusive), as text."""
    by_bucket: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    steps: Counter[str] = Counter()
    total = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [f for f in stack.split(";") if _FRAME.match(f)]
        if not frames:
            continue
        total += count
        by_bucket[_bucket(frames[-1])] += count
        self_time[_short(frames[-1])] += count
        seen = {_short(f) for f in frames if any(marker in f for marker in _STEPS)}
        for name in seen:
            steps[name] += count
    if not total:
        return "no samples"

    def share(counter: Counter[str], title: str, keep: int) -> list[str]:
        lines = [title]
        for name, count in counter.most_common(keep):
            lines.append(f"  {100 * count / total:5.1f}%  {name}")
        return lines

    lines = [f"{total} samples"]
    lines += share(by_bucket, "self time by package:", len(by_bucket))
    lines += share(self_time, "top functions by self time:", top)
    lines += share(steps, "inclusive time of app, FastAPI and ORM steps:", 2 * top)
    return "\n".join(lines)
