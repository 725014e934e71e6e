"""Open a `.pd` file in real headless Pure Data and report its error lines (`NN_TILDE_AND_FORMATS.md` §E3, §F).

Pd exits 0 even on errors, so the checker parses stdout + stderr. Without the nn~ external, `nn~` boxes fail
to create (two `verbose` lines each); `allowed_missing` lists the classes whose creation failure is expected.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

ERROR_PATTERN = re.compile(r"^error: |couldn't create|connection failed|Pd: signal|terminate called|"
                           r"model output size is not consistent|cannot connect|can't open")


@dataclass(frozen=True)
class PdReport:
    returncode: int
    output: str
    errors: List[str]
    quit_early: bool  # the patch made Pd quit by itself (a `pd quit` injected through a name)


def pd_binary() -> Optional[str]:
    return shutil.which("pd")


def _timer_patch(folder: Path, dsp_ms: float, marker: str, listen: Sequence[str]) -> Path:
    """A patch that prints every message sent to the `listen` receivers as `<name>: ...`, then after `dsp_ms`
    of Pd's logical time (as fast as the CPU allows in -batch mode) prints `marker` and quits Pd."""
    lines = ["#N canvas 0 50 450 300 12;", "#X obj 10 10 loadbang;", f"#X obj 10 40 delay {dsp_ms:g};",
             f"#X msg 10 70 \\; pd {marker} \\; pd quit;"]
    connects = ["#X connect 0 0 1 0;", "#X connect 1 0 2 0;"]
    for i, name in enumerate(listen):
        lines += [f"#X obj 200 {10 + 60 * i} r {name};", f"#X obj 200 {40 + 60 * i} print {name};"]
        connects.append(f"#X connect {3 + 2 * i} 0 {4 + 2 * i} 0;")
    path = folder / "after_device_timer.pd"
    path.write_text("\n".join(lines + connects) + "\n")
    return path


def open_in_pd(patch: Path, allowed_missing: Sequence[str] = ("nn~",), timeout: float = 20.0,
               marker: str = "after-device-pd-check-done", search_paths: Sequence[Path] = (),
               messages: Sequence[str] = (), dsp_ms: float = 0.0, listen: Sequence[str] = ()) -> PdReport:
    """Load `patch` headless (with `search_paths` on Pd's path), send `messages` (each "receiver atoms..."),
    then print `marker` through a second message and quit; collect the error lines.

    With `dsp_ms` > 0, DSP is switched on after the messages and runs for `dsp_ms` ms of logical time before
    the marker and the quit; messages to the `listen` receivers are printed meanwhile as `<name>: ...`."""
    binary = pd_binary()
    if binary is None:
        raise FileNotFoundError("pd")
    command = [binary, "-nrt", "-batch", "-noaudio", "-nomidi", "-nogui", "-noprefs", "-stderr"]
    for folder in search_paths:
        command += ["-path", str(Path(folder).resolve())]
    command += ["-open", str(Path(patch).resolve())]
    with tempfile.TemporaryDirectory(prefix="after-pd-") as scratch:
        if dsp_ms > 0:
            command += ["-open", str(_timer_patch(Path(scratch), dsp_ms, marker, listen))]
        for message in messages:
            command += ["-send", message]
        command += ["-send", "pd dsp 1"] if dsp_ms > 0 else ["-send", f"pd {marker}", "-send", "pd quit"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    output = result.stdout + result.stderr
    lines = output.splitlines()
    errors: List[str] = []
    for i, line in enumerate(lines):
        if not ERROR_PATTERN.search(line):
            continue
        if "couldn't create" in line and i > 0:
            previous = lines[i - 1].removeprefix("verbose(0): ").split()
            if previous and previous[0] in allowed_missing:
                continue
        errors.append(line)
    return PdReport(result.returncode, output, errors, quit_early=marker not in output)
