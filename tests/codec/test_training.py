"""Codec training on synthesized harmonic tones: it learns, it resumes, the run exports."""

import dataclasses
import os
import pickle
import subprocess
import sys
import time

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.codec.config import CodecConfig
from after.codec.losses import multiresolution_stft_distance
from after.codec.model import build_codec
from after.codec.runs import load_codec_run
from after.codec.training.run import CodecTrainOptions, train_autoencoder
from after.codec.training.system import initialisation_batch, initialise_from_data
from after.config import load_config
from after.data.dataset import WaveformDataset
from after.errors import InputError, OutputExistsError
from after.nn_tilde.host import read_model_info
from tests.helpers.codec_data import make_tone_database

SMALL = ["model.sample_rate=16000", "train.num_signal=4096", "train.batch_size=8", "train.val_every=1000"]


@pytest.fixture(scope="module")
def tone_db(tmp_path_factory):
    return make_tone_database(tmp_path_factory.mktemp("tones"))


def test_train_rejects_bad_input(tmp_path, tone_db):
    runner = CliRunner()
    result = runner.invoke(after_group, ["train_autoencoder", "--db_path", str(tmp_path / "none"),
                                         "--save_dir", str(tmp_path)])
    assert result.exit_code == 1 and "dataset not found" in result.output
    result = runner.invoke(after_group, ["train_autoencoder", "--db_path", str(tone_db), "--config", "smallAE",
                                         "--num_signal", "1000", "--save_dir", str(tmp_path)])
    assert result.exit_code == 1 and "not a multiple of the codec ratio 512" in result.output
    result = runner.invoke(after_group, ["export_autoencoder", "--model_path", str(tmp_path)])
    assert result.exit_code == 1 and "not a codec run folder" in result.output


def test_run_trains_resumes_with_overrides_and_loads(tmp_path, tone_db):
    torch.set_num_threads(1)
    tiny = ("train.num_signal=4096", "train.batch_size=2", "train.val_every=1000", "train.save_every=1")
    options = CodecTrainOptions(name="run", db_paths=[tone_db], presets=("baseAE", "smallAE"),
                                overrides=(*tiny, "train.max_steps=2"), save_dir=tmp_path, seed=0, progress_bar=False)
    result = train_autoencoder(options)
    assert result.step == 2 and result.run_dir == tmp_path / "run"
    assert result.config.model.sample_rate == 16000  # from the database, not the preset
    with pytest.raises(OutputExistsError, match="pass --resume"):
        train_autoencoder(options)
    resumed = train_autoencoder(dataclasses.replace(options, resume=True, overrides=("train.max_steps=3",)))
    assert resumed.step == 3 and resumed.config.train.max_steps == 3  # the saved config + the new override
    run = load_codec_run(tmp_path / "run")
    assert run.step == 3 and run.config == resumed.config and not run.codec.training
    assert load_codec_run(tmp_path / "run", step=1).step == 1
    with pytest.raises(InputError, match="available steps: 1, 2, 3"):
        load_codec_run(tmp_path / "run", step=4)
    result = CliRunner().invoke(after_group, ["train_autoencoder", "--name", "other", "--db_path", str(tone_db),
                                              "--save_dir", str(tmp_path), "--resume"])
    assert result.exit_code == 1 and "nothing to resume" in result.output


def test_data_dependent_initialisation_gives_unit_latents_and_input_loudness(tone_db):
    cfg = load_config(CodecConfig, ["baseAE", "smallAE"], SMALL)
    x = initialisation_batch(WaveformDataset([tone_db], 4096, "train"), 8)
    assert torch.equal(x, initialisation_batch(WaveformDataset([tone_db], 4096, "train"), 8))  # same on every rank
    torch.manual_seed(0)
    codec = build_codec(cfg.model)
    with torch.no_grad():
        assert codec.encode(x).std((0, 2)).max() < 0.05  # PyTorch's default init: latents far below unit scale
        initialise_from_data(codec, x)
        z_std = codec.encode(x).std((0, 2))
        loudness = codec(x).std() / x.std()
    assert z_std.shape == (cfg.model.latent_size,) and 0.5 < z_std.min() and z_std.max() < 2.0, z_std
    assert 0.75 < loudness < 1.25, loudness  # about as loud as the input (the envelope sigmoid bends it)


@pytest.mark.slow
def test_small_codec_learns_harmonic_tones(tmp_path, tone_db):
    torch.set_num_threads(1)  # more threads only spin on a busy 2-core box
    steps = 400
    overrides = SMALL + [f"train.max_steps={steps}", f"train.save_every={steps}"]
    cfg = load_config(CodecConfig, ["baseAE", "smallAE"], overrides)
    items = WaveformDataset([tone_db], 4096, "train")
    x = torch.stack([items[i]["waveform"] for i in range(8)])
    result = train_autoencoder(CodecTrainOptions(name="run", db_paths=[tone_db], presets=("baseAE", "smallAE"),
                                                 overrides=overrides, save_dir=tmp_path, seed=0, progress_bar=False))
    assert result.step == steps and result.run_dir == tmp_path / "run" and result.config == cfg
    torch.manual_seed(0)
    initial = build_codec(cfg.model).eval()
    trained = result.codec.eval()
    with torch.no_grad():
        before = multiresolution_stft_distance(initial(x), x, cfg.train.stft_scales)
        after = multiresolution_stft_distance(trained(x), x, cfg.train.stft_scales)
    assert after < 0.5 * before, (float(before), float(after))


def saved_step(run_dir) -> int:
    """The step of a run's `last.ckpt`, or -1 while there is none (or it is being written)."""
    try:
        return load_codec_run(run_dir).step
    except (InputError, OSError, RuntimeError, EOFError, pickle.UnpicklingError):
        return -1


@pytest.mark.slow
def test_killed_training_resumes_and_exports(tmp_path, tone_db):
    args = [sys.executable, "-c", "from after.cli.main import after_group; after_group()",
            "train_autoencoder", "--name", "run",
            "--db_path", str(tone_db), "--config", "smallAE", "--save_dir", str(tmp_path),
            "--max_steps", "40", "--save_every", "10", "--num_signal", "4096", "--bsize", "4"]
    env = dict(os.environ, OMP_NUM_THREADS="1")
    checkpoints = tmp_path / "run" / "checkpoints"
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 240
    # Kill once `last.ckpt` holds step 20 or later (it is written just after `step=20.ckpt`).
    while saved_step(tmp_path / "run") < 20:
        assert proc.poll() is None, "training exited before its first checkpoints"
        assert time.time() < deadline, "no checkpoint within 4 minutes"
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    killed_at = load_codec_run(tmp_path / "run").step
    assert 20 <= killed_at < 40
    assert not (checkpoints / "step=40.ckpt").exists()
    done = subprocess.run(args + ["--resume"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Restored all states from the checkpoint" in done.stderr
    final = load_codec_run(tmp_path / "run").step
    assert final == 40 and (checkpoints / "step=40.ckpt").exists()
    checkpoint = torch.load(checkpoints / "last.ckpt", weights_only=False)
    assert len(checkpoint["optimizer_states"]) == 2
    result = CliRunner().invoke(after_group, ["export_autoencoder", "--model_path", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    meta = read_model_info(tmp_path / "run" / "export_stream.ts").metadata
    assert meta["sample_rate"] == 16000 and meta["ratio"] == 512 and meta["latency_samples"] == 240
