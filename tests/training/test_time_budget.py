"""A time-budgeted Lightning run shows elapsed and remaining time against the budget, not a step count."""

import re

import lightning as L
import torch
from torch.utils.data import DataLoader, TensorDataset

from after.training.time_budget import TimeBudgetBar, time_budget_callbacks


class Regression(L.LightningModule):
    def __init__(self) -> None:
        super().__init__()
        self.layer = torch.nn.Linear(4, 1)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.layer(x), y)
        self.log("loss", loss, prog_bar=True)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.01)


def test_timed_run_stops_on_time_and_shows_time(capsys) -> None:
    data = TensorDataset(torch.randn(50_000, 4), torch.randn(50_000, 1))
    callbacks = time_budget_callbacks(1.5, description="train_codec")
    assert any(isinstance(c, TimeBudgetBar) for c in callbacks)
    trainer = L.Trainer(max_epochs=-1, max_steps=-1, logger=False, enable_checkpointing=False,
                        enable_model_summary=False, callbacks=callbacks, accelerator="cpu")
    trainer.fit(Regression(), DataLoader(data, batch_size=1))
    timer = callbacks[0]
    assert 1.5 <= timer.time_elapsed() < 5.0
    assert 0 < trainer.global_step < 50_000  # stopped by the time budget, not by the data
    err = capsys.readouterr().err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    # e.g. "train_codec: 100%|██████████| 00:01 / 00:01, 00:00 left, step 812, loss=1.02"
    assert re.match(r"train_codec: 100%\|.*\| 00:01 / 00:01, 00:00 left, step \d+, loss=", last), last
    assert "50000" not in err and "it/s" not in err  # no step-count bar
