"""`after update_dataset`: re-encode the stored waveforms of a database with another codec.

The database's `__info__` is first marked `latents.state = "updating"` (committed), so if the run stops
half-way the mixed latents are never read as valid: `database_info` reports no latents and `LatentDataset`
refuses the database until `update_dataset` is run again to completion. Augmented latents are recomputed
from the stored waveform with the augmentation recorded at preparation time (same seeds). Frame features
(descriptors, beat clock) live at the latent frame rate, so the ones the database already stores are
recomputed at the new codec's ratio, together with any asked for with `descriptors` / `beat_track`.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from tqdm import tqdm

from after.data.augment import augment
from after.data.descriptors import FrameFeatureSpec, check_descriptor_names, codec_encode_lag_frames, frame_features
from after.data.latents import LatentEncoder
from after.data.store import DatabaseWriter, database_info
from after.errors import InputError


def update_dataset(db_path: str | Path, emb_model_path: str | Path, gpu: int = -1, batch_size: int = 32,
                   descriptors: tuple[str, ...] = (), beat_track: bool = False) -> str:
    """Rewrite the latents (and augmented latents) of every record, and its frame features: those stored
    already plus `descriptors` / `beat_track`; returns a one-paragraph report."""
    started = time.monotonic()
    requested = FrameFeatureSpec(check_descriptor_names(descriptors), beat_track)
    db_path = Path(db_path)
    info = database_info(db_path)
    if not info.has_waveform:
        raise InputError(f"{db_path}: the dataset stores no waveforms; prepare it again with --save_waveform")
    encoder = LatentEncoder(emb_model_path, gpu, batch_size)
    if encoder.sample_rate is not None and encoder.sample_rate != info.sample_rate:
        raise InputError(f"{emb_model_path}: codec runs at {encoder.sample_rate} Hz but the dataset at "
                         f"{info.sample_rate} Hz; prepare the dataset again with --sample_rate {encoder.sample_rate}")
    if info.num_signal % encoder.ratio:
        raise InputError(f"{emb_model_path}: codec ratio {encoder.ratio} does not divide the dataset's chunk "
                         f"length {info.num_signal}")
    n_records = info.n_records
    writer = DatabaseWriter(db_path)
    try:
        meta = writer.read_info()
        augmentation = meta.get("augmentation") or {"mode": "none", "num_augments": 0, "seed": 0}
        mode, count = augmentation["mode"], int(augmentation["num_augments"])
        # Recomputed for the new codec: following its latents, delayed as much as its encoder.
        features = FrameFeatureSpec.from_info(meta).union(
            replace(requested, delay_frames=codec_encode_lag_frames(emb_model_path, encoder.ratio)))
        writer.write_info({**meta, "latents": {"state": "updating"}})
        with tqdm(total=n_records, unit="chunk", desc="update_dataset", file=sys.stderr, dynamic_ncols=True) as bar:
            for start in range(0, n_records, encoder.batch_size):
                indices = range(start, min(start + encoder.batch_size, n_records))
                records = [writer.get_record(i) for i in indices]
                waves = [r.waveform.astype(np.float32) / 32767.0 for r in records]
                latents = encoder.encode(waves)
                copies: list[tuple[int, int, np.ndarray]] = []
                for row, record in enumerate(records):
                    if mode == "none":
                        continue
                    rng = np.random.default_rng([augmentation.get("seed", 0), int(record.metadata["file_index"]),
                                                 int(record.metadata["chunk_index"])])
                    copies.extend((row, j, augment(waves[row], info.sample_rate, mode, rng)) for j in range(count))
                augmented_latents = encoder.encode([wave for _, _, wave in copies])
                for record, z, wave in zip(records, latents, waves):
                    record.latents, record.augmented = z, {}
                    record.features, extra = frame_features(wave, info.sample_rate, encoder.ratio, features) \
                        if features else ({}, {})
                    record.metadata = {k: v for k, v in record.metadata.items() if k not in ("beats", "tempo_bpm")}
                    record.metadata.update(extra)
                for (row, j, _), z in zip(copies, augmented_latents):
                    records[row].augmented[f"augment_{mode}_{j}"] = z
                writer.put_records(start, records)
                bar.update(len(records))
        augment_keys = [f"augment_{mode}_{j}" for j in range(count)] if mode != "none" else []
        writer.write_info({**meta, "latents": {"state": "valid", "shape": [encoder.latent_size,
                                                                           info.num_signal // encoder.ratio],
                                               "augment_keys": augment_keys, **encoder.describe()},
                          "frame_features": features.describe(encoder.ratio)})
    finally:
        writer.close()
    stored = [*features.descriptors, *(["beat_clock"] if features.beat_track else [])]
    return (f"updated {n_records} records of {db_path}: latents [{encoder.latent_size}, "
            f"{info.num_signal // encoder.ratio}] from {emb_model_path}"
            + (f", frame features {', '.join(stored)}" if stored else "")
            + f" in {time.monotonic() - started:.1f} s")
