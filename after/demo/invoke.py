"""Run `after` / `after-device` command lines for the demo, exactly as printed: each is echoed as the shell
line a user would type, then run as a subprocess of the installed programs (so the demo does nothing the
command line would not, and the library never imports the CLI).

Commands the demo runs side by side (the two AFTER trainings, the three evaluations) are echoed with a
trailing `&` and a `wait`; their output goes to `<log dir>/<n>.log` instead of the terminal, where two
progress bars would overwrite each other.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
from pathlib import Path
from typing import Sequence

import click

from after.errors import AfterError

LOG_TAIL_LINES = 15


def echo_command(argv: Sequence[str], suffix: str = "") -> None:
    """Print `argv` as a shell line (what a user would type)."""
    click.echo("  $ " + shlex.join(argv) + suffix)


def program(name: str) -> list[str]:
    """How to start `after` / `after-device`: the console script beside this Python (a venv or a plain
    install), else `python -m after.cli.main` naming the program."""
    script = Path(sys.executable).parent / name
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    return [sys.executable, "-m", "after.cli.main", name]


def subprocess_env() -> dict[str, str]:
    """One intra-op thread per process: on a small shared CPU, threads that wait for each other make training
    several times slower, and the demo runs two trainings side by side."""
    return {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1"), "PYTHONUNBUFFERED": "1"}


def _failure(argv: Sequence[str], code: int, log: Path | None = None) -> AfterError:
    where = "its message is above"
    if log is not None:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()[-LOG_TAIL_LINES:]
        click.echo("\n".join(f"  | {line[-200:]}" for line in lines), err=True)
        where = f"its output is in {log}"
    return AfterError(f"`{shlex.join(argv[:2])}` failed (exit code {code}; {where}); fix it and rerun "
                      f"`after demo` to resume")


def run_commands(commands: Sequence[Sequence[str]], parallel: bool = False, log_dir: Path | None = None) -> None:
    """Run each `["after", "train", …]` (first item the program's name), in order or all at once
    (`parallel`, logs in `log_dir`, default the current folder's `logs/`). A failure raises `AfterError`
    naming the command once every started process has ended."""
    if not parallel or len(commands) == 1:
        for argv in commands:
            echo_command(argv)
            code = subprocess.run(program(argv[0]) + list(argv[1:]), env=subprocess_env()).returncode
            if code != 0:
                raise _failure(argv, code)
        return
    log_dir = Path(log_dir or "logs")
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%H%M%S")
    running = []
    for index, argv in enumerate(commands):
        log = log_dir / f"{stamp}_{index}_{argv[1]}.log"
        echo_command(argv, f" > {log} 2>&1 &")
        with open(log, "w", encoding="utf-8") as out:
            running.append((argv, log, subprocess.Popen(program(argv[0]) + list(argv[1:]), env=subprocess_env(),
                                                        stdout=out, stderr=subprocess.STDOUT)))
    echo_command(["wait"])
    failures = [(argv, log, process.wait()) for argv, log, process in running]
    for argv, log, code in failures:
        if code != 0:
            raise _failure(argv, code, log)
