"""Frame features (`--descriptors`, `--beat_track`): values, alignment with the latent frames, the store's
schema versions, `prepare_dataset` / `update_dataset` round trips and the dataset's `features` item."""

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.dataset import LatentDataset
from after.data.descriptors import beat_clock, compute_descriptors, track_beats
from after.data.store import (
    INFO_KEY,
    SCHEMA_VERSION,
    DatabaseReader,
    DatabaseWriter,
    Record,
    database_info,
    decode_record,
    encode_record,
)
from after.errors import InputError
from tests.helpers.data_synth import tone

SR, HOP = 16000, 256


def run(*args):
    return CliRunner().invoke(after_group, [str(a) for a in args], catch_exceptions=False)


def clicks(seconds: float, bpm: float, sample_rate: int = SR) -> np.ndarray:
    """Decaying 1 kHz clicks on every beat, float32 [samples]."""
    out = np.zeros(int(seconds * sample_rate), dtype=np.float32)
    n = np.arange(800)
    click = (0.8 * np.sin(2 * np.pi * 1000 * n / sample_rate) * np.exp(-n / 150)).astype(np.float32)
    for start in np.arange(0.25, seconds - 0.1, 60.0 / bpm):
        i = int(start * sample_rate)
        out[i:i + len(click)] += click[:len(out) - i]
    return out


def test_descriptors_measure_tone_noise_and_silence() -> None:
    half = 64 * HOP
    signal = np.concatenate([np.zeros(half, np.float32), tone(SR, half / SR, freq=1000.0, amp=0.5)])
    d = compute_descriptors(signal, SR, HOP)
    assert all(v.shape == (128,) and v.dtype == np.float32 for v in d.values())
    # frame t covers samples [t·HOP, (t+1)·HOP) and is described by the causal 2048-sample window ending with it
    # (frames t-7 … t), so frames 63 and 71 are the last silent and the first full ones around the edge at 64
    assert d["loudness"][63] == -100.0 and d["loudness"][64] > -100.0
    assert d["centroid"][63] == 0.0 and d["flatness"][63] == 0.0  # silence: no spectrum to describe
    assert d["loudness"][70] < d["loudness"][71] - 0.3
    assert d["loudness"][71] == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.2)
    assert d["centroid"][100] == pytest.approx(1000.0, abs=40.0)
    assert d["rolloff"][100] == pytest.approx(1000.0, abs=40.0)
    assert d["flatness"][100] < 0.01 and d["bandwidth"][100] < 200.0
    noise = np.random.default_rng(0).uniform(-0.5, 0.5, 32 * HOP).astype(np.float32)
    n = compute_descriptors(noise, SR, HOP, ("flatness", "centroid"))
    assert list(n) == ["flatness", "centroid"]
    assert n["flatness"][16] > 0.4 and n["centroid"][16] == pytest.approx(SR / 4, rel=0.1)


def test_beat_clock_ramps_between_beats() -> None:
    frame_rate = 4.0  # frame centres at 0.125, 0.375, …
    clock = beat_clock(np.array([0.5, 1.0, 1.5]), 10, frame_rate)
    assert clock.dtype == np.float32 and clock.shape == (10,)
    times = (np.arange(10) + 0.5) / frame_rate
    np.testing.assert_allclose(clock, (times % 0.5) / 0.5, atol=1e-6)  # the median period extends the grid
    assert np.all((clock >= 0) & (clock < 1))
    assert not beat_clock(np.array([0.5]), 10, frame_rate).any()  # one beat: no period, no clock


def test_beat_tracker_follows_a_click_track() -> None:
    track = track_beats(clicks(8.0, 120.0), SR, HOP)
    assert track.tempo_bpm == pytest.approx(120.0, rel=0.05)
    assert np.median(np.diff(track.beats)) == pytest.approx(0.5, abs=0.03)
    assert track.clock.shape == (8 * SR // HOP,)
    wraps = np.flatnonzero(np.diff(track.clock) < -0.5) + 1  # frames where a new beat starts
    assert np.median(np.diff(wraps)) == pytest.approx(0.5 * SR / HOP, abs=1.5)


def test_records_round_trip_features_and_version_1_stays_readable(tmp_path: Path) -> None:
    features = {"descriptor_loudness": np.linspace(-60, 0, 8, dtype=np.float32),
                "beat_clock": np.linspace(0, 0.9, 8, dtype=np.float32)}
    record = Record(latents=np.ones((4, 8), np.float32), metadata={"label": "x", "beats": [0.1]},
                    augmented={"augment_shift_0": np.zeros((4, 9), np.float32)}, features=features)
    back = decode_record(encode_record(record))
    assert set(back.features) == set(features) and set(back.augmented) == {"augment_shift_0"}
    for key, value in features.items():
        np.testing.assert_array_equal(back.features[key], value)

    # a database written by the version-1 code: same layout, no frame features
    v1 = encode_record(Record(latents=np.ones((4, 8), np.float32), metadata={"label": "x"},
                              augmented={"augment_shift_0": np.zeros((4, 9), np.float32)}))
    v1 = v1.replace(b'"schema": %d' % SCHEMA_VERSION, b'"schema": 1')
    writer = DatabaseWriter(tmp_path / "v1")
    writer.put_many([(b"00000000", v1), (INFO_KEY, json.dumps({
        "schema": 1, "sample_rate": SR, "num_signal": 8 * HOP, "n_records": 1, "has_waveform": False,
        "has_midi": False, "labels": ["x"], "latents": {"state": "valid", "shape": [4, 8], "ratio": HOP}}).encode())])
    writer.close()
    info = database_info(tmp_path / "v1")
    assert info.has_latents and info.descriptors == () and not info.has_beat_clock
    old = DatabaseReader(tmp_path / "v1")[0]
    assert set(old.augmented) == {"augment_shift_0"} and old.features == {}


def test_prepare_then_update_recomputes_features_at_the_new_frame_rate(tmp_path: Path, dct_codec_path: Path) -> None:
    from tests.helpers.fake_models import make_dct_codec

    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "beat.wav", clicks(4.0, 120.0), SR)
    result = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                 "--emb_model_path", dct_codec_path, "--save_waveform", "--num_augments", "0", "--num_signal", "32768",
                 "--sample_rate", SR, "--num_multiprocesses", "1", "--descriptors", "loudness", "--descriptors",
                 "centroid", "--beat_track")
    assert result.exit_code == 0, result.output
    info = database_info(tmp_path / "db")
    assert info.descriptors == ("loudness", "centroid") and info.has_beat_clock
    record = DatabaseReader(tmp_path / "db")[0]
    assert set(record.features) == {"descriptor_loudness", "descriptor_centroid", "beat_clock"}
    assert all(v.shape == (128,) for v in record.features.values())  # 32768 / ratio 256 = latent frames
    assert record.latents.shape[-1] == 128
    assert np.median(np.diff(record.metadata["beats"])) == pytest.approx(0.5, abs=0.03)
    wave = record.waveform.astype(np.float32) / 32767
    np.testing.assert_allclose(record.features["descriptor_centroid"],
                               compute_descriptors(wave, SR, HOP, ("centroid",))["centroid"], rtol=0.01)  # int16 copy

    dataset = LatentDataset(tmp_path / "db", 32, "train", frame_features=["beat_clock", "loudness"])
    item = dataset[0]
    assert item["features"].shape == (2, 32) and item["z"].shape[-1] == 32

    other = make_dct_codec(tmp_path / "dct128.ts", ratio=128, latent_size=32)
    updated = run("update_dataset", "--db_path", tmp_path / "db", "--emb_model_path", other,
                  "--descriptors", "flatness")
    assert updated.exit_code == 0, updated.output
    assert "frame features loudness, centroid, flatness, beat_clock" in updated.output
    info = database_info(tmp_path / "db")
    assert info.descriptors == ("loudness", "centroid", "flatness") and info.has_beat_clock
    record = DatabaseReader(tmp_path / "db")[0]
    assert all(v.shape == (256,) for v in record.features.values()) and record.latents.shape == (32, 256)


def test_feature_errors_are_one_line(tmp_path: Path, dct_codec_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "a.wav", tone(SR, 2.0), SR)
    no_codec = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                   "--descriptors", "loudness", "--num_signal", "16384", "--sample_rate", SR)
    assert no_codec.exit_code != 0 and "--emb_model_path" in no_codec.output and "Traceback" not in no_codec.output
    assert not (tmp_path / "db").exists()
    unknown = run("prepare_dataset", "--input_path", tmp_path / "audio", "--descriptors", "sharpness")
    assert unknown.exit_code != 0 and "loudness" in unknown.output  # click lists the valid choices
    assert run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
               "--emb_model_path", dct_codec_path, "--num_augments", "0", "--num_signal", "16384",
               "--sample_rate", SR, "--num_multiprocesses", "1", "--save_waveform").exit_code == 0
    with pytest.raises(InputError, match="update_dataset .* --descriptors centroid"):
        LatentDataset(tmp_path / "db", 16, "train", frame_features=["centroid"])
    assert run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db_nowave",
               "--emb_model_path", dct_codec_path, "--num_augments", "0", "--num_signal", "16384",
               "--sample_rate", SR, "--num_multiprocesses", "1").exit_code == 0
    with pytest.raises(InputError, match="no waveforms .* prepare_dataset --save_waveform .* --descriptors centroid"):
        LatentDataset(tmp_path / "db_nowave", 16, "train", frame_features=["centroid"])
