"""Run-folder checkpoints shared by both trainers (training layer: the only Lightning here).

Layout: see `after.training.run_folder`. Each file is written under a
temporary name and renamed, so a crash never leaves a partial checkpoint that resume would pick up.
"""

from __future__ import annotations

import os
from pathlib import Path

import lightning as L

from after.training.run_folder import LAST_CHECKPOINT, step_checkpoint_name


class StepCheckpoints(L.Callback):
    """`last.ckpt` + `step=<N>.ckpt` every `save_every` steps, and `last.ckpt` at the end of training.

    Steps are `trainer.global_step`; trainers that count steps differently override `current_step`.
    """

    def __init__(self, folder: Path, save_every: int) -> None:
        self.folder = Path(folder)
        self.save_every = save_every

    def current_step(self, trainer: L.Trainer, pl_module: L.LightningModule) -> int:
        return trainer.global_step

    def save(self, trainer: L.Trainer, name: str) -> None:
        target = self.folder / name
        partial = self.folder / f".{name}.partial"
        trainer.save_checkpoint(partial)
        if trainer.is_global_zero:
            os.replace(partial, target)
        trainer.strategy.barrier()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        step = self.current_step(trainer, pl_module)
        if step % self.save_every == 0:
            self.save(trainer, step_checkpoint_name(step))
            self.save(trainer, LAST_CHECKPOINT)

    def on_train_end(self, trainer, pl_module) -> None:
        self.save(trainer, LAST_CHECKPOINT)
