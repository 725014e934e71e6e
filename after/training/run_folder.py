"""Run folders of both trainers: `<run>/checkpoints/last.ckpt` and `<run>/checkpoints/step=<N>.ckpt`, and
`checkpoint_path`, which every reader of a run folder uses to find one (no Lightning or torch import, so
exporters and the CLI can use it cheaply)."""

from __future__ import annotations

import re
from pathlib import Path

from after.errors import InputError, OutputExistsError

CHECKPOINT_DIR = "checkpoints"
LAST_CHECKPOINT = "last.ckpt"
STEP_CHECKPOINT = re.compile(r"step=(\d+)\.ckpt")


def step_checkpoint_name(step: int) -> str:
    """File name of the checkpoint saved at `step`."""
    return f"step={step}.ckpt"


def saved_steps(run_dir: str | Path) -> list[int]:
    """Steps of the `step=<N>.ckpt` files of a run, in increasing order (temporary `.partial` files excluded)."""
    folder = Path(run_dir) / CHECKPOINT_DIR
    return sorted(int(m.group(1)) for p in folder.glob("step=*.ckpt") if (m := STEP_CHECKPOINT.fullmatch(p.name)))


def checkpoint_path(run_dir: str | Path, step: int | None = None) -> Path:
    """`checkpoints/last.ckpt` (step None) or `checkpoints/step=<step>.ckpt` of a run; `InputError` naming the
    steps on disk when it does not exist."""
    path = Path(run_dir) / CHECKPOINT_DIR / (LAST_CHECKPOINT if step is None else step_checkpoint_name(step))
    if not path.exists():
        steps = saved_steps(run_dir)
        have = f"available steps: {', '.join(map(str, steps))}" if steps else "the run has no checkpoint yet"
        raise InputError(f"{path}: checkpoint not found ({have}); train longer or pick another --step")
    return path


def check_run_start(run_dir: str | Path, resume: bool) -> None:
    """Both trainers' rule: `--resume` needs `last.ckpt`; a fresh start refuses a run that already has one."""
    last = Path(run_dir) / CHECKPOINT_DIR / LAST_CHECKPOINT
    if resume and not last.exists():
        raise InputError(f"{run_dir}: nothing to resume (no {CHECKPOINT_DIR}/{LAST_CHECKPOINT}); drop --resume to "
                         f"start this run")
    if not resume and last.exists():
        raise OutputExistsError(f"{run_dir}: a run with this name exists; pass --resume to continue it or choose "
                                f"another --name")
