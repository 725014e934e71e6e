"""Training datasets over one or several databases (`torch.utils.data.Dataset`s).

* Split: per database, a fixed permutation (seed 42) puts 2 % of the records (at least one when there are
  two or more) in `validation`, the rest in `train`.
* Several databases combine with per-database weights (default ∝ len^0.3, like the reference); use
  `dataset.sampler(num_samples)` (a `WeightedRandomSampler`) to draw items with those weights.
* Random crops use torch's RNG, which DataLoader seeds per worker; the validation split crops
  deterministically (seeded by the item index) so validation losses are comparable across epochs.
* Each database opens lazily in each worker process (`DatabaseReader`).
"""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np
import torch
from torch.utils.data import Dataset, WeightedRandomSampler

from after.data.descriptors import DESCRIPTOR_WINDOW
from after.data.midi import piano_roll
from after.data.store import BEAT_CLOCK, DESCRIPTOR_PREFIX, DatabaseInfo, DatabaseReader, Record
from after.errors import InputError

SPLIT_SEED = 42
VALIDATION_FRACTION = 0.02
SPLITS = ("train", "validation")
TIMBRE_PAIRINGS = ("record", "label")  # where `LatentDataset` cuts the timbre condition from


def split_indices(n_records: int, split: str) -> np.ndarray:
    """Record indices of `split` in a database of `n_records` (deterministic)."""
    if split not in SPLITS:
        raise InputError(f"unknown split '{split}'; valid: {', '.join(SPLITS)}")
    order = np.random.default_rng(SPLIT_SEED).permutation(n_records)
    n_val = max(1, round(VALIDATION_FRACTION * n_records)) if n_records >= 2 else 0
    chosen = order[:n_val] if split == "validation" else order[n_val:]
    return np.sort(chosen)


def check_frame_features(path: os.PathLike | str, info: DatabaseInfo, names: Sequence[str],
                         codec: str = "CODEC") -> None:
    """One-line `InputError` naming `path` and the command that fixes it, unless the database stores every frame
    feature of `names` (descriptor names and `beat_clock`) with causal descriptor windows (see
    `after.data.descriptors`). `codec`: the codec path to show in the fix."""
    stored = set(info.descriptors) | ({BEAT_CLOCK} if info.has_beat_clock else set())
    missing = [name for name in names if name not in stored]
    descriptors = [name for name in names if name != BEAT_CLOCK]
    if not missing and descriptors and info.descriptor_window != DESCRIPTOR_WINDOW:
        missing = descriptors  # analysed with centred windows, which a live stream cannot reproduce
        problem = f"its descriptors were analysed with {info.descriptor_window} windows, not causal ones"
    elif missing:
        problem = f"stores no frame feature {', '.join(missing)}"
    else:
        return
    flags = " ".join("--beat_track" if n == BEAT_CLOCK else f"--descriptors {n}" for n in missing)
    if not info.has_waveform:
        raise InputError(f"{path}: {problem}, and no waveforms to compute them from; prepare it again with "
                         f"`after prepare_dataset --save_waveform --emb_model_path {codec} {flags}`")
    raise InputError(f"{path}: {problem}; add them with `after update_dataset --db_path {path} "
                     f"--emb_model_path {codec} {flags}`")


class _CombinedRecords(Dataset):
    """Records of the `split` of several databases, with per-item sampling weights."""

    def __init__(self, db_paths: str | os.PathLike | Sequence[str | os.PathLike], split: str,
                 weights: Sequence[float] | None) -> None:
        paths = [db_paths] if isinstance(db_paths, (str, os.PathLike)) else list(db_paths)
        if not paths:
            raise InputError("no database given; pass at least one --db_path")
        self.readers = [DatabaseReader(p) for p in paths]
        self.split = split
        self.index = [(d, int(i)) for d, r in enumerate(self.readers) for i in split_indices(len(r), split)]
        if weights is None:
            weights = [len(r) ** 0.3 for r in self.readers]
        if len(weights) != len(self.readers) or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise InputError(f"weights {list(weights)}: give one non-negative weight per database "
                             f"({len(self.readers)}), not all zero")
        total = float(sum(weights))
        self.database_weights = [w / total for w in weights]
        counts = np.bincount([d for d, _ in self.index], minlength=len(self.readers))
        self.sample_weights = torch.tensor([self.database_weights[d] / counts[d] for d, _ in self.index],
                                           dtype=torch.double)
        labels: list[str] = []
        for reader in self.readers:
            labels.extend(label for label in reader.info.labels if label not in labels)
        self.labels = labels

    def __len__(self) -> int:
        return len(self.index)

    def record(self, item: int) -> Record:
        database, key = self.index[item]
        return self.readers[database][key]

    def generator(self, item: int) -> torch.Generator | None:
        """None (torch's global, per-worker RNG) in training; a generator seeded by `item` in validation."""
        if self.split == "train":
            return None
        return torch.Generator().manual_seed(item)

    def sampler(self, num_samples: int | None = None,
                generator: torch.Generator | None = None) -> WeightedRandomSampler:
        """Draws items with replacement following the database weights."""
        return WeightedRandomSampler(self.sample_weights.tolist(), num_samples or len(self), replacement=True,
                                     generator=generator)


def _offset(length: int, crop: int, generator: torch.Generator | None) -> int:
    return int(torch.randint(0, length - crop + 1, (1,), generator=generator))


def _crop(array: np.ndarray, crop: int, generator: torch.Generator | None) -> np.ndarray:
    """Random crop of `crop` steps on the last axis; a shorter array is tiled first."""
    if array.shape[-1] < crop:
        array = np.concatenate([array] * -(-crop // array.shape[-1]), axis=-1)
    start = _offset(array.shape[-1], crop, generator)
    return array[..., start:start + crop]


class WaveformDataset(_CombinedRecords):
    """Items `{"waveform": float32 [1, num_signal]}`: random crops of stored waveforms (codec training)."""

    def __init__(self, db_paths, num_signal: int, split: str = "train", weights: Sequence[float] | None = None) -> None:
        super().__init__(db_paths, split, weights)
        for reader in self.readers:
            if not reader.info.has_waveform:
                raise InputError(f"{reader.path}: stores no waveforms; prepare it with --save_waveform")
            if reader.info.num_signal < num_signal:
                raise InputError(f"{reader.path}: chunks hold {reader.info.num_signal} samples, fewer than the "
                                 f"{num_signal} asked; lower num_signal or prepare with a larger --num_signal")
        self.num_signal = num_signal
        self.sample_rate = self.readers[0].info.sample_rate

    def __getitem__(self, item: int) -> dict[str, torch.Tensor]:
        wave = self.record(item).require_waveform()
        crop = _crop(wave, self.num_signal, self.generator(item)).astype(np.float32) / 32767.0
        return {"waveform": torch.from_numpy(crop)[None]}


class LatentDataset(_CombinedRecords):
    """Items for diffusion training, each cropped to `n_frames` latent frames:

    * `z` float32 [C, n_frames]: a random crop of the record's latents;
    * `z_timbre` float32 [C, n_frames]: a crop of a random augmented copy when the database has them, else
      another random crop of the same latents; with `timbre_pairing="label"`, a crop of another record with
      the same label (another clip of the same instrument) when there is one, so that the timbre condition
      tells the instrument and not the clip (it cannot carry the notes the target plays);
    * `piano_roll` float32 [128, n_frames] (only `with_midi`): velocity / 127 at the latent frame rate,
      aligned with `z`;
    * `features` float32 [F, n_frames] (only with `frame_features`): the stored frame features named there
      (descriptor names such as `loudness`, `centroid`, and `beat_clock`), in that order, aligned with `z`;
    * `label` int: index of the record's label in `self.labels`.
    """

    def __init__(self, db_paths, n_frames: int, split: str = "train", with_midi: bool = False,
                 weights: Sequence[float] | None = None, frame_features: Sequence[str] = (),
                 timbre_pairing: str = "record") -> None:
        super().__init__(db_paths, split, weights)
        if timbre_pairing not in TIMBRE_PAIRINGS:
            raise InputError(f"timbre pairing {timbre_pairing!r}: use one of {', '.join(TIMBRE_PAIRINGS)}")
        first = self.readers[0].info
        first_shape = (0, 0)
        for index, reader in enumerate(self.readers):
            info, shape = reader.info, reader.info.latent_shape
            if not info.has_latents or shape is None:
                state = "an update_dataset run was interrupted; run it again" if info.latents_state == "updating" \
                    else "prepare it with --emb_model_path or run after update_dataset"
                raise InputError(f"{reader.path}: no valid latents ({state})")
            first_shape = shape if index == 0 else first_shape
            if (shape[0], info.codec_ratio, info.sample_rate) != \
                    (first_shape[0], first.codec_ratio, first.sample_rate):
                raise InputError(f"{reader.path}: latents {shape[0]}-d, ratio {info.codec_ratio}, "
                                 f"{info.sample_rate} Hz differ from {self.readers[0].path}; encode every "
                                 f"database with the same codec")
            if shape[1] < n_frames:
                raise InputError(f"{reader.path}: records hold {shape[1]} latent frames, fewer than "
                                 f"n_frames={n_frames}; lower it or prepare with a larger --num_signal")
            if with_midi and not info.has_midi:
                raise InputError(f"{reader.path}: has no MIDI; prepare it with --midi_path or --basic_pitch_midi")
            check_frame_features(reader.path, info, frame_features)
        self.n_frames = n_frames
        self.with_midi = with_midi
        self.frame_features = tuple(frame_features)
        self.feature_keys = [name if name == BEAT_CLOCK else DESCRIPTOR_PREFIX + name for name in frame_features]
        self.latent_size = first_shape[0]
        self.frame_rate = first.sample_rate / first.codec_ratio
        self.same_label: list[list[int]] = []  # per item: the other items with its label
        if timbre_pairing == "label":
            labels = [self.record(item).metadata["label"] for item in range(len(self))]
            if len(set(labels)) < 2 and split == "train":
                raise InputError(f"{self.readers[0].path}: timbre pairing by label needs records of several labels "
                                 f"(found {sorted(set(labels))}); prepare the data with a labelling parser such as "
                                 f"--parser folder_midi (one folder per instrument), or use "
                                 f"conditioning.timbre_pairing=record")
            for item, label in enumerate(labels):
                self.same_label.append([other for other, o in enumerate(labels) if o == label and other != item])

    def timbre_record(self, item: int, generator: torch.Generator | None) -> Record:
        """The record the timbre condition of `item` is cut from (see the class docstring)."""
        others = self.same_label[item] if self.same_label else []
        if not others:
            return self.record(item)
        return self.record(others[int(torch.randint(0, len(others), (1,), generator=generator))])

    def __getitem__(self, item: int) -> dict[str, torch.Tensor | int]:
        record = self.record(item)
        generator = self.generator(item)
        z = record.require_latents()
        start = _offset(z.shape[-1], self.n_frames, generator)
        out: dict[str, torch.Tensor | int] = {"z": torch.from_numpy(z[:, start:start + self.n_frames].copy())}
        timbre = self.timbre_record(item, generator)
        if timbre.augmented:
            keys = sorted(timbre.augmented)
            source = timbre.augmented[keys[int(torch.randint(0, len(keys), (1,), generator=generator))]]
        else:
            source = timbre.require_latents()
        out["z_timbre"] = torch.from_numpy(np.ascontiguousarray(_crop(source, self.n_frames, generator)))
        if self.with_midi:
            roll = piano_roll(record.notes or [], z.shape[-1], self.frame_rate)
            out["piano_roll"] = torch.from_numpy(roll[:, start:start + self.n_frames].copy())
        if self.feature_keys:
            stacked = np.stack([record.features[key][start:start + self.n_frames] for key in self.feature_keys])
            out["features"] = torch.from_numpy(stacked.astype(np.float32))
        out["label"] = self.labels.index(record.metadata["label"])
        return out
