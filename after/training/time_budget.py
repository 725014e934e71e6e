"""Training stopped by a time budget, with a progress bar that counts that time (the demo's timed stages).

A Lightning run stopped by `Timer` would otherwise show the default step bar (`0/20000 [37:05 remaining]`)
for a run that ends after a few minutes. `time_budget_callbacks(seconds)` gives the Timer and a bar whose
total is the budget in seconds: it shows elapsed and remaining training time (including the time spent
before a resume, which the Timer keeps in checkpoints), the step, and the logged metrics.
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from typing import Any

from lightning.pytorch.callbacks import Callback, ProgressBar, Timer
from tqdm import tqdm

REFRESH_S = 0.5  # at most two redraws per second, whatever the step rate
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar}| "  # followed by `TimeBudgetBar.status`


def format_seconds(seconds: float) -> str:
    """`mm:ss` (or `h:mm:ss`) of a non-negative duration."""
    return tqdm.format_interval(max(0.0, seconds))


class TimeBudgetBar(ProgressBar):
    """A tqdm bar over a training time budget: `n` is the Timer's elapsed training seconds and `total` the
    budget, so the bar fills as the budget is spent, not as steps are done. Runs on the global-zero rank."""

    def __init__(self, timer: Timer, budget_s: float, description: str = "training") -> None:
        super().__init__()
        self.timer = timer
        self.budget_s = float(budget_s)
        self.description = description
        self.enabled = True
        self.bar: tqdm | None = None
        self.last_draw = 0.0

    def disable(self) -> None:
        self.enabled = False

    def enable(self) -> None:
        self.enabled = True

    def status(self, trainer: Any) -> str:
        """`elapsed / budget, remaining left, step N[/max], metrics` (drawn after the bar)."""
        elapsed = min(self.timer.time_elapsed(), self.budget_s)
        step = f"step {trainer.global_step}" + (f"/{trainer.max_steps}" if trainer.max_steps > 0 else "")
        metrics = {k: v for k, v in self.get_metrics(trainer, trainer.lightning_module).items()
                   if k not in ("v_num", "step")}  # the step is shown already
        shown = ", ".join(f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in metrics.items())
        return (f"{format_seconds(elapsed)} / {format_seconds(self.budget_s)}, "
                f"{format_seconds(self.budget_s - elapsed)} left, {step}" + (f", {shown}" if shown else ""))

    def draw(self, trainer: Any, force: bool = False) -> None:
        now = time.monotonic()
        if self.bar is None or (not force and now - self.last_draw < REFRESH_S):
            return
        self.last_draw = now
        self.bar.n = round(min(self.timer.time_elapsed(), self.budget_s), 1)
        status = self.status(trainer).replace("{", "{{").replace("}", "}}")
        self.bar.bar_format = BAR_FORMAT + status
        self.bar.refresh()

    def on_train_start(self, trainer: Any, pl_module: Any) -> None:
        if not self.enabled or not trainer.is_global_zero:
            return
        self.bar = tqdm(total=round(self.budget_s, 1), desc=self.description, unit="s", file=sys.stderr,
                        dynamic_ncols=True, bar_format=BAR_FORMAT)
        self.draw(trainer, force=True)

    def on_train_batch_end(self, trainer: Any, pl_module: Any, outputs: Any, batch: Any, batch_idx: int) -> None:
        self.draw(trainer)

    def on_train_end(self, trainer: Any, pl_module: Any) -> None:
        if self.bar is not None:
            self.draw(trainer, force=True)
            self.bar.close()
            self.bar = None

    def print(self, *args: Any, **kwargs: Any) -> None:
        (self.bar.write if self.bar is not None else print)(" ".join(map(str, args)), file=sys.stderr)


def time_budget_callbacks(seconds: float, description: str = "training") -> list[Callback]:
    """Callbacks for `Trainer(callbacks=...)` that end training (saving as at a normal end) once `seconds` of
    training have passed and show the time, not the steps: a Lightning `Timer` (its elapsed time is stored in
    checkpoints, so a resumed run only gets what is left) and a `TimeBudgetBar`, which replaces Lightning's
    default step bar (the trainer must keep `enable_progress_bar=True`)."""
    timer = Timer(duration=timedelta(seconds=seconds), interval="step", verbose=False)
    return [timer, TimeBudgetBar(timer, seconds, description)]
