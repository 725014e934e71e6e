"""`WaveformDataset` / `LatentDataset`: shapes, split determinism, weights, timbre copies, piano-roll
alignment, DataLoader workers."""

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from after.data.dataset import LatentDataset, WaveformDataset, split_indices
from after.data.midi import Note
from after.data.store import DatabaseWriter, Record
from after.errors import InputError

C, T, RATIO, SR = 4, 32, 64, 16000


def make_db(path: Path, n: int, label: str, augmented: bool = True, state: str = "valid") -> Path:
    """Records whose latents encode (record index, frame index) so crops can be located."""
    writer = DatabaseWriter(path)
    records = []
    for i in range(n):
        z = np.zeros((C, T), np.float32)
        z[0], z[1] = i, np.arange(T)
        aug = {"augment_shift_0": np.full((C, T + 5), -1.0 - i, np.float32)} if augmented else {}
        notes = [Note(60 + i % 12, 10 / (SR / RATIO), 12 / (SR / RATIO), 127)]  # frames 10 and 11
        records.append(Record(waveform=np.full(T * RATIO, i, np.int16), latents=z, notes=notes, augmented=aug,
                              metadata={"source": f"{i}.wav", "chunk_index": 0, "label": label}))
    writer.put_records(0, records)
    writer.write_info({"sample_rate": SR, "num_signal": T * RATIO, "n_records": n, "has_waveform": True,
                       "has_midi": True, "labels": [label],
                       "latents": {"state": state, "shape": [C, T], "ratio": RATIO,
                                   "augment_keys": ["augment_shift_0"] if augmented else []}})
    writer.close()
    return path


def test_split_is_deterministic_and_disjoint() -> None:
    train, val = split_indices(200, "train"), split_indices(200, "validation")
    assert len(val) == 4 and not set(train) & set(val) and len(train) + len(val) == 200
    assert np.array_equal(val, split_indices(200, "validation"))
    assert len(split_indices(1, "validation")) == 0


def test_latent_items(tmp_path: Path) -> None:
    ds = LatentDataset(make_db(tmp_path / "db", 20, "piano"), n_frames=16, with_midi=True)
    assert len(ds) == 19 and ds.labels == ["piano"] and ds.frame_rate == SR / RATIO
    item = ds[0]
    assert item["z"].shape == (C, 16) and item["z_timbre"].shape == (C, 16) and item["piano_roll"].shape == (128, 16)
    assert item["label"] == 0
    record_index = int(item["z"][0, 0])
    assert (item["z_timbre"] == -1.0 - record_index).all()  # timbre from the augmented copy of the same record
    start = int(item["z"][1, 0])
    roll_frames = item["piano_roll"].sum(0).nonzero().flatten().tolist()
    assert roll_frames == [f - start for f in (10, 11) if 0 <= f - start < 16]  # aligned with the z crop
    starts = {int(ds[0]["z"][1, 0]) for _ in range(30)}
    assert len(starts) > 3  # random crops in training


def test_validation_is_deterministic_and_timbre_fallback(tmp_path: Path) -> None:
    ds = LatentDataset(make_db(tmp_path / "db", 50, "x", augmented=False), n_frames=8, split="validation")
    assert len(ds) == 1
    a, b = ds[0], ds[0]
    assert torch.equal(a["z"], b["z"]) and torch.equal(a["z_timbre"], b["z_timbre"])
    assert (a["z_timbre"][0] == a["z"][0, 0]).all()  # another crop of the same record's latents


def test_weights_and_labels_across_databases(tmp_path: Path) -> None:
    small = make_db(tmp_path / "small", 10, "a")
    large = make_db(tmp_path / "large", 100, "b")
    ds = LatentDataset([small, large], n_frames=8)
    assert ds.labels == ["a", "b"]
    expected_small = 10 ** 0.3 / (10 ** 0.3 + 100 ** 0.3)
    assert ds.database_weights[0] == pytest.approx(expected_small)
    drawn = Counter(ds.index[i][0] for i in ds.sampler(20000, torch.Generator().manual_seed(0)))
    assert drawn[0] / 20000 == pytest.approx(expected_small, abs=0.02)
    forced = LatentDataset([small, large], n_frames=8, weights=[1, 0])
    assert {forced.index[i][0] for i in forced.sampler(500)} == {0}
    labels = {ds[i]["label"] for i in range(len(ds))}
    assert labels == {0, 1}


def test_dataloader_workers(tmp_path: Path) -> None:
    ds = LatentDataset(make_db(tmp_path / "db", 12, "x"), n_frames=8)
    batches = list(DataLoader(ds, batch_size=4, num_workers=2, sampler=ds.sampler(16)))
    assert len(batches) == 4 and batches[0]["z"].shape == (4, C, 8)
    waves = WaveformDataset(tmp_path / "db", num_signal=1024)
    assert waves[0]["waveform"].shape == (1, 1024) and waves[0]["waveform"].dtype == torch.float32


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="update_dataset run was interrupted"):
        LatentDataset(make_db(tmp_path / "upd", 4, "x", state="updating"), n_frames=8)
    db = make_db(tmp_path / "db", 4, "x")
    with pytest.raises(InputError, match="fewer than n_frames=64"):
        LatentDataset(db, n_frames=64)
    with pytest.raises(InputError, match="fewer than the 1000000"):
        WaveformDataset(db, num_signal=1_000_000)
    with pytest.raises(InputError, match="one non-negative weight per database"):
        LatentDataset([db], n_frames=8, weights=[1, 2])
