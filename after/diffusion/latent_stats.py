"""Per-channel standardisation of codec latents.

Codecs scale their latents arbitrarily (a briefly trained codec can have latents with std ≈ 1e-3), while
rectified flow starts from unit Gaussian noise. `after train` therefore measures the mean and std of every
latent channel over the training databases once, at the start of a fresh run (`compute_latent_stats`),
stores them in the run folder (`latent_stats.json`) and in every checkpoint (the `latent_norm.*` buffers of
the system), and trains every network on z' = (z − mean) / std.

Everything that feeds latents to the networks or decodes generated latents applies the same affine:
`LatentStandardizer.normalize` right after the codec's encoder, `denormalize` right before its decoder.

Descriptors read by the structure encoder (`model.structure_features`) get the same treatment with their own
statistics (`compute_feature_stats`, `feature_stats.json`, buffers `feature_norm.*` of the system).
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, List, Sequence

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from after.data.dataset import split_indices
from after.data.store import DESCRIPTOR_PREFIX, DatabaseReader, Record
from after.diffusion.pins import piano_roll_pins, pin_pitch
from after.errors import InputError
from after.io import write_json_atomic

LATENT_STATS_FILE = "latent_stats.json"
FEATURE_STATS_FILE = "feature_stats.json"  # mean/std of the `model.structure_features` descriptors
FEATURE_STD_FLOOR = 1e-3
PIN_NONE, PIN_AUDIO, PIN_MIDI = 0, 1, 2  # where `RawLatentGenerator` finds the pitch pins
MAX_RECORDS_PER_DATABASE = 2000  # evenly spaced records of the train split: bounded time on any database
RELATIVE_STD_FLOOR = 1e-2  # a channel's std is at least this fraction of the largest channel std
ABSOLUTE_STD_FLOOR = 1e-8  # and at least this (a database of constant latents)


@dataclass(frozen=True)
class LatentStats:
    """Per-channel statistics of training latents: `mean`, `std` (floored) — C floats each; `records` and
    `frames` they were measured on."""

    mean: List[float]
    std: List[float]
    records: int
    frames: int

    def to_dict(self) -> dict:
        return {"mean": self.mean, "std": self.std, "records": self.records, "frames": self.frames,
                "std_floor": {"relative": RELATIVE_STD_FLOOR, "absolute": ABSOLUTE_STD_FLOOR}}


def identity_stats(latent_size: int) -> LatentStats:
    """Mean 0, std 1: the standardisation of a system built before any latents were measured."""
    return LatentStats([0.0] * latent_size, [1.0] * latent_size, 0, 0)


def with_channel_gains(stats: LatentStats, gains: Sequence[float]) -> LatentStats:
    """Standardised channel i gets std gains[i] instead of 1 (its stored std is divided by the gain).

    Why: the flow's loss weighs every standardised channel alike, and a generated channel is off by roughly
    the same amount whatever it carries. A channel that must come out precise, such as the harmonic codec's
    pitch (a note is wrong half a semitone away, a small fraction of a melody's pitch spread), gets a gain so
    that the same error is that many times smaller once de-standardised."""
    if not gains:
        return stats
    if len(gains) > len(stats.std) or min(gains) <= 0:
        raise InputError(f"train.channel_gains {list(gains)}: need at most {len(stats.std)} positive gains")
    std = [s / g for s, g in zip(stats.std, gains)] + list(stats.std[len(gains):])
    return LatentStats(stats.mean, std, stats.records, stats.frames)


def floor_std(std: np.ndarray) -> np.ndarray:
    """Raise near-silent channels to `RELATIVE_STD_FLOOR` × the largest std (and `ABSOLUTE_STD_FLOOR`), so
    that channels carrying nothing are not blown up to unit variance."""
    floor = max(RELATIVE_STD_FLOOR * float(std.max(initial=0.0)), ABSOLUTE_STD_FLOOR)
    return np.maximum(std, floor)


def channel_moments(db_paths: Sequence[Path], read: Callable[[Record], np.ndarray], what: str,
                    max_records: int = MAX_RECORDS_PER_DATABASE, progress: bool = True
                    ) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Mean and (unfloored) std of every channel of `read(record)` [C, T] over the train split of `db_paths`
    (at most `max_records` evenly spaced records per database, every frame of each), accumulated in float64
    with a progress bar; also the records and frames measured."""
    total = total_sq = None
    records = frames = 0
    for db_path in db_paths:
        reader = DatabaseReader(db_path)
        indices = split_indices(len(reader), "train")
        if len(indices) > max_records:
            indices = indices[np.linspace(0, len(indices) - 1, max_records).round().astype(int)]
        for index in tqdm(indices, desc=f"{what} statistics {Path(db_path).name}", unit="record",
                          disable=not progress, leave=False):
            z = np.asarray(read(reader[int(index)]), dtype=np.float64)  # [C, T]
            if total is None:
                total, total_sq = np.zeros(z.shape[0]), np.zeros(z.shape[0])
            total += z.sum(axis=1)
            total_sq += np.square(z).sum(axis=1)
            records += 1
            frames += z.shape[1]
    if total is None or frames == 0:
        raise InputError(f"{', '.join(map(str, db_paths))}: no training records with {what} to measure; prepare "
                         f"more audio")
    mean = total / frames
    return mean, np.sqrt(np.maximum(total_sq / frames - np.square(mean), 0.0)), records, frames


def compute_latent_stats(db_paths: Sequence[Path], max_records: int = MAX_RECORDS_PER_DATABASE,
                         progress: bool = True) -> LatentStats:
    """Mean and floored std (`floor_std`) of every latent channel over the train split of `db_paths`."""
    mean, std, records, frames = channel_moments(db_paths, lambda record: record.require_latents(), "latent",
                                                 max_records, progress)
    return LatentStats(mean.tolist(), floor_std(std).tolist(), records, frames)


def compute_feature_stats(db_paths: Sequence[Path], names: Sequence[str], max_records: int = MAX_RECORDS_PER_DATABASE,
                          progress: bool = True) -> LatentStats:
    """Mean and std of the stored descriptors `names` (`model.structure_features`) over the train split, in
    their own units (dB, Hz, 0…1): the structure encoder reads (value − mean) / std. Each std is floored at
    `FEATURE_STD_FLOOR` (a descriptor constant over the whole set carries nothing)."""
    keys = [DESCRIPTOR_PREFIX + name for name in names]
    mean, std, records, frames = channel_moments(
        db_paths, lambda record: np.stack([record.features[key] for key in keys]), "descriptor", max_records,
        progress)
    return LatentStats(mean.tolist(), np.maximum(std, FEATURE_STD_FLOOR).tolist(), records, frames)


def save_latent_stats(stats: LatentStats, path: Path) -> None:
    write_json_atomic(path, stats.to_dict())


def load_latent_stats(path: Path) -> LatentStats:
    """Read `latent_stats.json`; `InputError` when it is unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return LatentStats([float(v) for v in data["mean"]], [float(v) for v in data["std"]],
                           int(data["records"]), int(data["frames"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: unreadable statistics ({exc}); restore the file from the run, or "
                         f"start a new run") from None


class LatentStandardizer(nn.Module):
    """The affine z' = (z − mean) / std per latent channel (scriptable). Buffers `mean`, `std` [C]."""

    mean: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    std: torch.Tensor

    def __init__(self, stats: LatentStats) -> None:
        super().__init__()
        self.register_buffer("mean", torch.tensor(stats.mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(stats.std, dtype=torch.float32))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Raw codec latents [B, C, T] → standardised latents [B, C, T]."""
        return self.normalize(z)

    @torch.jit.export
    def normalize(self, z: torch.Tensor) -> torch.Tensor:
        """Raw codec latents [B, C, T] → standardised latents [B, C, T]."""
        return (z - self.mean[:, None].to(z.dtype)) / self.std[:, None].to(z.dtype)

    @torch.jit.export
    def denormalize(self, z: torch.Tensor) -> torch.Tensor:
        """Standardised latents [B, C, T] → raw codec latents [B, C, T]."""
        return z * self.std[:, None].to(z.dtype) + self.mean[:, None].to(z.dtype)


class StandardizedInput(nn.Module):
    """`module` fed with standardised latents: raw latents [B, C, T] → module(normalize(z)). Wraps the timbre
    encoder of an export and of the timbre map's embedding pass."""

    def __init__(self, module: nn.Module, standardizer: LatentStandardizer) -> None:
        super().__init__()
        self.module = module
        self.standardizer = standardizer

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.module(self.standardizer.normalize(z))


class StandardizedStructureStream(nn.Module):
    """A streaming structure encoder (`forward`, `reset_state`) fed with standardised latents."""

    def __init__(self, stream: nn.Module, standardizer: LatentStandardizer) -> None:
        super().__init__()
        self.stream = stream
        self.standardizer = standardizer

    @torch.jit.export
    def reset_state(self) -> None:
        self.stream.reset_state()

    @torch.jit.export
    def save_state(self) -> None:
        self.stream.save_state()

    @torch.jit.export
    def restore_state(self) -> None:
        self.stream.restore_state()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Raw latents [B, C, T] → structure [B, zs, T]."""
        return self.stream(self.standardizer.normalize(z))


class RawLatentGenerator(nn.Module):
    """A `StreamingGenerator` whose chunks come out as raw codec latents (denormalised), so that an export's
    `diffuse` output chains with the codec's own `decode`. The noise stays unit Gaussian (standardised
    space)."""

    def __init__(self, generator: nn.Module, standardizer: LatentStandardizer, pin_mode: int = PIN_NONE,
                 structure_channels: int = 0) -> None:
        super().__init__()
        self.generator = generator
        self.standardizer = standardizer
        self.pin_audio = pin_mode == PIN_AUDIO  # flags, not the mode: TorchScript reads no module constants
        self.pin_midi = pin_mode == PIN_MIDI
        self.structure_channels = structure_channels

    def pinned(self, latents: torch.Tensor, structure: torch.Tensor) -> torch.Tensor:
        """Raw latents with the structure's pitch (`after.diffusion.pins`): `PIN_AUDIO` reads (value, mask)
        from the two channels after the model's `structure_channels` (when present: signals given through
        `diffuse` / `generate` carry none), `PIN_MIDI` the piano roll itself."""
        if self.pin_midi:
            value, mask = piano_roll_pins(structure)
            return pin_pitch(latents, value, mask)
        if self.pin_audio and structure.shape[1] == self.structure_channels + 2:
            return pin_pitch(latents, structure[:, self.structure_channels], structure[:, self.structure_channels + 1])
        return latents

    def model_structure(self, structure: torch.Tensor) -> torch.Tensor:
        if self.pin_audio:
            return structure[:, :self.structure_channels]
        return structure

    @torch.jit.export
    def reset_state(self) -> None:
        self.generator.reset_state()

    @torch.jit.export
    def save_state(self) -> None:
        self.generator.save_state()

    @torch.jit.export
    def restore_state(self) -> None:
        self.generator.restore_state()

    @torch.jit.export
    def state_is_finite(self) -> bool:
        return self.generator.state_is_finite()

    @torch.jit.export
    def generate_chunk(self, noise: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                       guidance_timbre: float, guidance_structure: float) -> torch.Tensor:
        """Same as `StreamingGenerator.generate_chunk`, returning raw codec latents [B, C, T]."""
        latents = self.generator.generate_chunk(noise, timbre, self.model_structure(structure), nb_steps,
                                                guidance_timbre, guidance_structure)
        return self.pinned(self.standardizer.denormalize(latents), structure)

    @torch.jit.export
    def prepare_timbre(self, timbre: torch.Tensor, nb_steps: int, guidance_timbre: float, guidance_structure: float,
                       part: int, parts: int) -> None:
        """Same as `StreamingGenerator.prepare_timbre`."""
        self.generator.prepare_timbre(timbre, nb_steps, guidance_timbre, guidance_structure, part, parts)

    @torch.jit.export
    def run_steps(self, x: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                  guidance_timbre: float, guidance_structure: float, start: int, stop: int,
                  chunk: int) -> torch.Tensor:
        """`StreamingGenerator.run_steps` on standardised latents; returns raw codec latents once the last step
        ran (`stop == nb_steps`), the standardised partial result otherwise (to be passed back as x)."""
        x = self.generator.run_steps(x, timbre, self.model_structure(structure), nb_steps, guidance_timbre,
                                     guidance_structure, start, stop, chunk)
        return self.pinned(self.standardizer.denormalize(x), structure) if stop == nb_steps else x
