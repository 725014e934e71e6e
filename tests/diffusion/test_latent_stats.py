"""Latent standardisation: statistics of a database, the run folder and checkpoints that keep them (resume
never recomputes), old runs load with the identity, exports apply the affine inside (networks see
standardised latents, `diffuse` returns raw codec latents); the training databases recorded for export; the
data module mixes several databases with their weights."""

import json
from collections import Counter

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from after.cli.main import after_group
from after.data.dataset import split_indices
from after.data.store import DatabaseWriter, Record
from after.diffusion.latent_stats import (
    ABSOLUTE_STD_FLOOR,
    LATENT_STATS_FILE,
    RELATIVE_STD_FLOOR,
    LatentStandardizer,
    LatentStats,
    compute_latent_stats,
    load_latent_stats,
)
from after.diffusion.runs import load_run
from after.diffusion.sampling import sample
from after.diffusion.training.data import LatentDataModule
from after.diffusion.training.run import DATABASES_FILE, TrainOptions, train_diffusion
from after.diffusion.training.system import DiffusionSystem
from after.errors import InputError
from after.export.exporter import export_run
from after.nn_tilde.host import load_ts
from tests.helpers.diffusion_helpers import SMALL_MODEL, random_clips, write_latent_db
from tests.helpers.export_models import make_latent_db, make_run, make_streaming_codec, one_thread  # noqa: F401 (fixture)

pytestmark = pytest.mark.usefixtures("one_thread")

N_FRAMES = 64


def write_scaled_db(path, scales, offsets, n_records=20, n_frames=24, seed=0):
    """Latents with channel c ~ offsets[c] + scales[c] · N(0, 1) (scale 0: a constant channel)."""
    rng = np.random.default_rng(seed)
    scales, offsets = np.asarray(scales)[:, None], np.asarray(offsets)[:, None]
    records = [Record(latents=(offsets + scales * rng.normal(size=(len(scales), n_frames))).astype(np.float32),
                      metadata={"source": f"take{i}.wav", "chunk_index": 0, "label": "x"})
               for i in range(n_records)]
    writer = DatabaseWriter(path)
    writer.put_records(0, records)
    writer.write_info({"sample_rate": 16000, "num_signal": n_frames * 256, "n_records": n_records,
                       "has_waveform": False, "has_midi": False, "labels": ["x"],
                       "latents": {"state": "valid", "shape": [len(scales), n_frames], "ratio": 256}})
    writer.close()
    return path, records


# ------------------------------------------------------------------ statistics
def test_stats_of_a_database_are_per_channel_over_the_train_split(tmp_path):
    scales, offsets = [0.05, 0.5, 3.0, 0.0, 0.002], [0.01, -1.0, 2.0, 0.7, 0.3]
    db, records = write_scaled_db(tmp_path / "db", scales, offsets)
    stats = compute_latent_stats([db], progress=False)
    train = np.concatenate([records[i].latents for i in split_indices(len(records), "train")], axis=1)
    assert stats.records == len(split_indices(len(records), "train")) and stats.frames == train.shape[1]
    np.testing.assert_allclose(stats.mean, train.astype(np.float64).mean(axis=1), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(stats.std[:3], train[:3].astype(np.float64).std(axis=1), rtol=1e-6)
    # a constant channel and one below 1 % of the largest std are floored
    assert stats.std[3] == stats.std[4] == pytest.approx(RELATIVE_STD_FLOOR * stats.std[2])
    sampled = compute_latent_stats([db], max_records=3, progress=False)
    assert sampled.records == 3 and sampled.frames == 3 * 24


def test_constant_database_gets_the_absolute_floor(tmp_path):
    db, _ = write_scaled_db(tmp_path / "db", [0.0, 0.0], [1.0, -2.0])
    stats = compute_latent_stats([db], progress=False)
    assert stats.mean == pytest.approx([1.0, -2.0]) and stats.std == [ABSOLUTE_STD_FLOOR] * 2


def test_standardizer_is_an_exact_affine_and_scripts():
    stats = LatentStats([1.0, -2.0, 0.5], [0.01, 2.0, 1.0], 1, 1)
    norm = torch.jit.script(LatentStandardizer(stats))
    z = torch.randn(2, 3, 5)
    standardised = norm.normalize(z)
    torch.testing.assert_close(standardised[:, 0], (z[:, 0] - 1.0) / 0.01)
    torch.testing.assert_close(norm.denormalize(standardised), z, atol=1e-5, rtol=1e-5)


def test_system_standardises_every_batch():
    from after.config import load_config
    from after.diffusion.config import DiffusionConfig

    config = load_config(DiffusionConfig, ["base", "tiny"], list(SMALL_MODEL))
    stats = LatentStats([0.5] * 64, [0.25] * 64, 1, 1)
    system = DiffusionSystem(config, 64, stats)
    batch = {"z": torch.ones(2, 64, 8), "z_timbre": torch.zeros(2, 64, 8), "piano_roll": torch.ones(2, 128, 8),
             "label": torch.tensor([0, 1])}
    seen = system.standardized(batch)
    assert torch.all(seen["z"] == 2.0) and torch.all(seen["z_timbre"] == -2.0)
    assert seen["piano_roll"] is batch["piano_roll"] and seen["label"] is batch["label"]


# ------------------------------------------------------------------ run folder, resume, load_run
def options(tmp_path, dbs, codec, max_steps, resume=False):
    overrides = (*SMALL_MODEL, "train.batch_size=2", "train.n_signal=16", "train.val_every=2",
                 "train.val_batches=1", "train.val_examples=2", "train.val_sampling_steps=2",
                 f"train.max_steps={max_steps}", "train.save_every=2")
    return TrainOptions(name="run", db_paths=dbs, codec_path=codec, presets=("base", "tiny"), overrides=overrides,
                        out_path=tmp_path / "runs", resume=resume, accelerator="cpu", devices=1, progress_bar=False)


def test_run_stores_stats_and_databases_and_resume_keeps_them(tmp_path, dct_codec_path):
    codec = torch.jit.load(str(dct_codec_path))
    db = write_latent_db(tmp_path / "db", codec, random_clips(0, 2, N_FRAMES), N_FRAMES)
    louder = write_latent_db(tmp_path / "louder", codec, random_clips(5, 3, N_FRAMES), N_FRAMES)
    run = train_diffusion(options(tmp_path, [db], dct_codec_path, 2)).run_dir
    stats = load_latent_stats(run / LATENT_STATS_FILE)
    expected = compute_latent_stats([db], progress=False)
    np.testing.assert_allclose(stats.std, expected.std)
    np.testing.assert_allclose(stats.mean, expected.mean)
    assert json.loads((run / DATABASES_FILE).read_text())["db_paths"] == [str(db.resolve())]
    loaded = load_run(run)
    torch.testing.assert_close(loaded.latent_norm.std, torch.tensor(stats.std, dtype=torch.float32))
    # The validation examples decode true latents and samples (back on the codec's scale) to audio.
    events = EventAccumulator(str(run / "logs")).Reload()
    tags = events.Tags()["audio"]
    assert {"true/0", "reconstruction/0"} <= set(tags) and any(t.startswith("transfer/0_to_") for t in tags)

    # Resuming on other data continues with the stats of the run (never re-measured).
    assert compute_latent_stats([louder], progress=False).std != stats.std
    train_diffusion(options(tmp_path, [louder], dct_codec_path, 4, resume=True))
    assert load_latent_stats(run / LATENT_STATS_FILE) == stats
    resumed = load_run(run)
    assert resumed.step == 4
    torch.testing.assert_close(resumed.latent_norm.mean, loaded.latent_norm.mean)
    torch.testing.assert_close(resumed.latent_norm.std, loaded.latent_norm.std)

    # `after export` defaults --db_path to the training databases (the latest start's), one line when moved.
    louder.rename(tmp_path / "moved")
    result = CliRunner().invoke(after_group, ["export", "--model_path", str(run), "--emb_model_path",
                                              str(dct_codec_path)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert "not found (moved or deleted)" in result.output and "--db_path" in result.output


def test_untrained_run_loads_with_identity_and_a_checkpoint_without_stats_is_refused(tmp_path):
    codec = make_streaming_codec(tmp_path / "codec.ts", 256, 16, 16000)
    run_dir = make_run(tmp_path / "run", codec, 256, 16, 16000)
    run = load_run(run_dir)
    assert torch.all(run.latent_norm.mean == 0) and torch.all(run.latent_norm.std == 1)
    with pytest.raises(InputError, match="does not record its training databases"):
        run.training_databases()
    # A checkpoint without the standardisation: the networks' scale is unknown, so no silent identity.
    checkpoint = torch.load(run_dir / "checkpoints" / "last.ckpt", weights_only=True)
    checkpoint["state_dict"] = {k: v for k, v in checkpoint["state_dict"].items() if not k.startswith("latent_norm.")}
    torch.save(checkpoint, run_dir / "checkpoints" / "last.ckpt")
    with pytest.raises(InputError, match=r"last.ckpt: no latent standardisation .*retrain the run"):
        load_run(run_dir)


# ------------------------------------------------------------------ export
def test_export_standardises_inside_and_keeps_raw_latents_outside(tmp_path):
    """The export's `structure` / `timbre` equal the networks on standardised codec latents; `diffuse`
    returns raw codec latents: denormalised samples of the offline sampler, which `decode` then takes."""
    ratio, latent_size = 256, 16
    codec_path = make_streaming_codec(tmp_path / "codec.ts", ratio, latent_size, 16000)
    run_dir = make_run(tmp_path / "run", codec_path, ratio, latent_size, 16000)
    generator = torch.Generator().manual_seed(0)
    mean, std = torch.randn(latent_size, generator=generator), torch.rand(latent_size, generator=generator) + 0.05
    checkpoint = torch.load(run_dir / "checkpoints" / "last.ckpt", weights_only=True)
    checkpoint["state_dict"].update({"latent_norm.mean": mean, "latent_norm.std": std})
    torch.save(checkpoint, run_dir / "checkpoints" / "last.ckpt")
    db = make_latent_db(tmp_path / "db", latent_size, ratio, ("a", "b"), per_label=4)
    result = export_run(run_dir, codec_path, "audio", [db], n_presets=2)
    assert result.metadata["latent_standardization"]["std"] == pytest.approx(std.tolist())

    model, run, codec = load_ts(result.path), load_run(run_dir), torch.jit.load(str(codec_path))
    audio = 0.3 * torch.randn(1, 1, 128 * ratio, generator=generator)
    z = codec.encode(audio)
    with torch.inference_mode():
        standardised = (z - mean[:, None]) / std[:, None]
        torch.testing.assert_close(model.structure(audio), run.networks.structure_encoder(standardised),
                                   atol=1e-4, rtol=1e-4)
        model.reset_state()
        expected_timbre = run.networks.timbre_encoder(standardised)
        torch.testing.assert_close(model.timbre(audio)[:, :, 0], expected_timbre, atol=1e-4, rtol=1e-4)
        assert not torch.allclose(run.networks.timbre_encoder(z), expected_timbre, atol=1e-3)

        structure, timbre = torch.randn(1, 12, 8, generator=generator), torch.randn(1, 6, generator=generator)
        model.reset_state()
        assert model.set_nb_steps(2) == 0 and model.set_guidance_timbre(1.0) == 0
        assert model.set_guidance_structure(1.0) == 0
        torch.manual_seed(7)
        diffused = model.diffuse(torch.cat([structure, timbre[:, :, None].expand(-1, -1, 8)], dim=1))
        torch.manual_seed(7)
        offline = sample(run.networks.denoiser, torch.randn(1, latent_size, 8), timbre, structure, 2, 1.0, 1.0,
                         midi=False)
        torch.testing.assert_close(diffused, offline * std[:, None] + mean[:, None], atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(model.decode(diffused), codec.decode(diffused), atol=1e-5, rtol=1e-5)


# ------------------------------------------------------------------ several databases
@pytest.mark.parametrize("weights,expected_b", [(None, 8 ** 0.3 / (64 ** 0.3 + 8 ** 0.3)), ([1.0, 3.0], 0.75)])
def test_data_module_mixes_databases_with_their_weights(tmp_path, weights, expected_b):
    """64 records of A, 8 of B: drawn with the weights (default ∝ size^0.3), not in proportion to sizes."""
    a = make_latent_db(tmp_path / "a", 8, 256, ("a",), per_label=64, n_frames=16)
    b = make_latent_db(tmp_path / "b", 8, 256, ("b",), per_label=8, n_frames=16, seed=1)
    data = LatentDataModule([a, b], n_frames=16, batch_size=35, with_midi=False, weights=weights)
    labels = data.dataset("train").labels
    torch.manual_seed(0)
    counts = Counter()
    for _ in range(40):
        for batch in data.train_dataloader():
            counts.update(labels[i] for i in batch["label"].tolist())
    share_b = counts["b"] / sum(counts.values())
    assert sum(counts.values()) >= 2500 and share_b == pytest.approx(expected_b, abs=0.04)
