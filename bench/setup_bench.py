"""First run: seconds from a fresh clone to `make run` answering HTTP, with a phase breakdown.

`make bench-setup` clones the repository (its committed HEAD, or `--source`/`--ref`) into a
temporary directory, runs `make run` there on a free loopback port, polls until the server
answers any HTTP request, prints the seconds, then stops the server and removes the clone.
The package caches are the user's own (warm); `--cold` first measures once more with a scratch
cache directory for pip and uv, so every package is downloaded again.
"""

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The command lines `make` echoes that start a phase (the first pattern a line matches names
# it); what follows until the next phase is its cost.
PHASES = (
    ("venv", re.compile(r"-m venv ")),
    ("installer", re.compile(r"pip --python|ensurepip|requirements/uv\.txt")),
    ("install", re.compile(r"\b(pip|uv)\b.*\b(install|sync)\b")),
    ("db upgrade", re.compile(r"flask db upgrade")),
    ("seed demo", re.compile(r"flask seed demo")),
    ("serve", re.compile(r"flask run ")),
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # any HTTP status means the server is serving
    except OSError:
        return False


def _session_cpu(session: int) -> float | None:
    """CPU seconds (user + system) spent so far by the processes of a session, and by those of
    its children that have ended: steadier than the wall clock on a shared machine."""
    ticks = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[3]) == session:
                ticks += sum(int(value) for value in fields[11:15])
    except OSError:
        return None  # no /proc here
    return ticks / os.sysconf("SC_CLK_TCK")


def _clone(source: str, ref: str | None, target: Path) -> None:
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", source, str(target)], check=True)
    if ref:
        subprocess.run(["git", "-C", str(target), "checkout", "--quiet", ref], check=True)


def _environment(cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "MAKE"))}
    env.pop("MFLAGS", None)
    if cache is not None:
        env["PIP_CACHE_DIR"] = str(cache / "pip")
        env["UV_CACHE_DIR"] = str(cache / "uv")
    return env


def _read_lines(stream, started: float, lines: list[tuple[float, str]], log) -> None:
    for raw in stream:
        line = raw.decode(errors="replace").rstrip()
        lines.append((time.monotonic() - started, line))
        log.write(line + "\n")


def _phases(lines: list[tuple[float, str]], total: float) -> list[tuple[str, float]]:
    marks: dict[str, float] = {}
    for at, line in lines:
        name = next((name for name, pattern in PHASES if pattern.search(line)), None)
        if name is not None:
            marks.setdefault(name, at)
    ordered = sorted(marks.items(), key=lambda mark: mark[1])
    ends = [at for _, at in ordered[1:]] + [total]
    return [(name, end - at) for (name, at), end in zip(ordered, ends, strict=True)]


def measure(source: str, ref: str | None, cache: Path | None, timeout: float) -> float:
    """Seconds from `make run` in a fresh clone of SOURCE until it answers HTTP (and prints the
    CPU seconds that took)."""
    with tempfile.TemporaryDirectory(prefix="tamatch-setup-") as scratch:
        clone = Path(scratch) / "tamatch"
        _clone(source, ref, clone)
        port = _free_port()
        lines: list[tuple[float, str]] = []
        log_path = Path(scratch) / "make-run.log"
        started = time.monotonic()
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=_environment(cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with log_path.open("w") as log:
            reader = threading.Thread(
                target=_read_lines, args=(process.stdout, started, lines, log), daemon=True
            )
            reader.start()
            try:
                seconds = _wait(process, port, started, timeout)
                cpu = _session_cpu(process.pid)
            finally:
                _stop(process)
                reader.join(timeout=5)
        if seconds is None:
            tail = "\n".join(line for _, line in lines[-30:])
            raise SystemExit(f"make run did not serve within {timeout:.0f} s:\n{tail}")
        for name, spent in _phases(lines, seconds):
            print(f"    {name:<11} {spent:6.1f} s")
        if cpu is not None:
            print(f"    CPU time    {cpu:6.1f} s (user + system, every process of make run)")
        return seconds


def _wait(process: subprocess.Popen, port: int, started: float, timeout: float) -> float | None:
    while time.monotonic() - started < timeout:
        if _answers(port):
            return time.monotonic() - started
        if process.poll() is not None:
            return None
        time.sleep(0.1)
    return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", default=str(REPO), help="repository to clone (default: this)")
    parser.add_argument("--ref", default=None, help="commit or branch to check out in the clone")
    parser.add_argument("--cold", action="store_true", help="also measure with empty caches")
    parser.add_argument("--runs", type=int, default=1, help="warm runs (default 1)")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"make run on a fresh clone of {args.source} {args.ref or 'HEAD'} (load {load})")
    if args.cold:
        with tempfile.TemporaryDirectory(prefix="tamatch-cache-") as cache:
            print("  cold cache (scratch pip and uv caches):")
            cold = measure(args.source, args.ref, Path(cache), args.timeout)
            print(f"  cold: serving after {cold:.1f} s")
    for run in range(1, args.runs + 1):
        print(f"  warm cache, run {run}:")
        warm = measure(args.source, args.ref, None, args.timeout)
        print(f"  warm: serving after {warm:.1f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
