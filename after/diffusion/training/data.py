"""`LatentDataModule`: training and validation batches of codec latents (and piano rolls for MIDI models)."""

from pathlib import Path
from typing import Optional, Sequence

import lightning as L
from torch.utils.data import DataLoader

from after.data.dataset import LatentDataset


class LatentDataModule(L.LightningDataModule):
    """Wraps `after.data.dataset.LatentDataset` for several databases (mixed with `weights`, default
    ∝ size^0.3): items `z`, `z_timbre` [C, n_frames] (+ `piano_roll` [128, n_frames] with `with_midi`, + the
    stored descriptors `features` [F, n_frames] named by `frame_features`)."""

    def __init__(self, db_paths: Sequence[Path], n_frames: int, batch_size: int, with_midi: bool,
                 num_workers: int = 0, weights: Optional[Sequence[float]] = None,
                 timbre_pairing: str = "record", frame_features: Sequence[str] = ()) -> None:
        super().__init__()
        self.db_paths = [Path(p) for p in db_paths]
        self.n_frames = n_frames
        self.batch_size = batch_size
        self.with_midi = with_midi
        self.num_workers = num_workers
        self.weights = weights
        self.timbre_pairing = timbre_pairing
        self.frame_features = tuple(frame_features)

    def dataset(self, split: str) -> LatentDataset:
        return LatentDataset(self.db_paths, self.n_frames, split=split, with_midi=self.with_midi,
                             weights=self.weights, timbre_pairing=self.timbre_pairing,
                             frame_features=self.frame_features)

    def train_dataloader(self) -> DataLoader:
        """Items drawn with replacement following the database weights; an epoch is at least one batch."""
        dataset = self.dataset("train")
        return DataLoader(dataset, batch_size=self.batch_size,
                          sampler=dataset.sampler(max(len(dataset), self.batch_size)),
                          drop_last=True, num_workers=self.num_workers, persistent_workers=self.num_workers > 0)

    def val_dataloader(self) -> DataLoader:
        return DataLoader(self.dataset("validation"), batch_size=self.batch_size, shuffle=False,
                          num_workers=self.num_workers)
