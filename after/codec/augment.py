"""Waveform augmentation for codec training: random gain and phase mangling (random all-pass filters)."""

import math
from typing import Protocol

import numpy as np
import torch
from scipy.signal import lfilter
from torch.utils.data import Dataset

from after.codec.config import CodecTrainConfig


def random_allpass(audio: np.ndarray, sample_rate: int, rng: np.random.Generator,
                   min_hz: float = 20.0, max_hz: float = 2000.0, radius: float = 0.99) -> np.ndarray:
    """Second-order all-pass with its pole pair at a random frequency (log-uniform in [min_hz, max_hz]):
    the magnitude spectrum is unchanged, the phase is scrambled around that frequency. audio: [..., N]."""
    freq = math.exp(rng.uniform(math.log(min_hz), math.log(max_hz)))
    theta = 2 * math.pi * freq / sample_rate
    a = np.array([1.0, -2 * radius * math.cos(theta), radius ** 2])
    b = a[::-1].copy()
    return lfilter(b, a, audio, axis=-1).astype(np.float32)


class WaveformDataset(Protocol):
    """What `AugmentedWaveforms` wraps: a sized, indexable dataset (e.g. `after.data.dataset.WaveformDataset`)."""

    def __len__(self) -> int: ...

    def __getitem__(self, item: int) -> dict: ...


class AugmentedWaveforms(Dataset):
    """Wraps a dataset of `{"waveform": float32 [1, N]}` items, applying gain and phase mangling."""

    def __init__(self, dataset: WaveformDataset, sample_rate: int, cfg: CodecTrainConfig) -> None:
        self.dataset = dataset
        self.sample_rate = sample_rate
        self.cfg = cfg

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, item: int) -> dict:
        wave = self.dataset[item]["waveform"].numpy()
        rng = np.random.default_rng(int(torch.randint(0, 2**31 - 1, (1,))))
        if rng.random() < self.cfg.phase_mangle_probability:
            wave = random_allpass(wave, self.sample_rate, rng)
        if rng.random() < self.cfg.gain_probability:
            wave = wave * 10 ** (rng.uniform(self.cfg.gain_min_db, 0.0) / 20)
        return {"waveform": torch.from_numpy(np.ascontiguousarray(wave, dtype=np.float32))}
