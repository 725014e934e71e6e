"""`after demo`: the whole chain on instrument sounds, on the CPU, within a time budget, resumable.

Each stage runs its CLI commands as printed (`after.demo.invoke`) and records its outputs in
`DIR/state.json`; a rerun skips finished stages and training stages resume from their `last.ckpt`.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import click

from after.demo.state import DemoState
from after.errors import InputError

MIN_MINUTES = 2.0  # below this the untimed stages (exports, renders) alone overrun the budget


@dataclass(frozen=True)
class DemoOptions:
    """What a demo folder was made with (a rerun must use the same to resume it).

    minutes: total time budget; training stages get fixed shares of it. seed: synthesis and training seed.
    """

    minutes: float = 10.0
    seed: int = 0

    def __post_init__(self) -> None:
        if not MIN_MINUTES <= self.minutes <= 600.0:
            raise InputError(f"--minutes {self.minutes}: give between {MIN_MINUTES:g} and 600 minutes")


@dataclass(frozen=True)
class StageContext:
    """What a stage sees: the demo folder, the options, the finished stages' outputs and its time budget."""

    out_dir: Path
    options: DemoOptions
    state: DemoState
    budget_s: float


@dataclass(frozen=True)
class Stage:
    """One step of the demo. `share`: fraction of the total budget it may take (training stages), else 0.
    `run` returns its outputs {key: path inside the demo folder}."""

    name: str
    title: str
    share: float
    run: Callable[[StageContext], dict[str, Path]]


# Folders the demo writes inside DIR; `--force` removes exactly these (and state.json), nothing else.
DEMO_FOLDERS = ("audio", "data", "runs", "exports", "renders", "logs")


def clear_demo(out_dir: Path) -> None:
    """Remove a previous demo's outputs from `out_dir`, leaving anything else there alone."""
    for name in DEMO_FOLDERS:
        shutil.rmtree(out_dir / name, ignore_errors=True)
    (out_dir / "state.json").unlink(missing_ok=True)


def run_demo(out_dir: Path, options: DemoOptions, stages: list[Stage], force: bool = False) -> DemoState:
    """Run every unfinished stage in order; returns the final state (all stages done)."""
    out_dir = Path(out_dir)
    if force:
        clear_demo(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    state = DemoState(out_dir, asdict(options))
    total_s = options.minutes * 60.0
    started = time.monotonic()
    for index, stage in enumerate(stages, start=1):
        header = f"[{index}/{len(stages)}] {stage.title}"
        if state.is_done(stage.name):
            click.echo(f"{header}: done already ({state.stages[stage.name]['seconds']:.0f} s), skipped")
            continue
        state.forget_from([s.name for s in stages[index - 1:]])
        budget = stage.share * total_s
        click.echo(f"{header}" + (f" (budget {budget:.0f} s)" if budget else ""), err=False)
        stage_start = time.monotonic()
        outputs = stage.run(StageContext(out_dir, options, state, budget))
        elapsed = time.monotonic() - stage_start
        state.mark_done(stage.name, elapsed, outputs)
        click.echo(f"{header}: done in {elapsed:.0f} s (demo so far {time.monotonic() - started:.0f} s)")
    return state
