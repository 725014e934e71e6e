"""Both trainers under 2-process CPU DDP (gloo) for a few steps.

Lightning's `ddp` strategy starts the second process by re-running the command line, so training is
launched as the `after` console script in a subprocess (under pytest it would re-run pytest).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from after.data import synth

pytestmark = pytest.mark.slow

AFTER = str(Path(sys.executable).parent / "after")
SR = 16000
NUM_SIGNAL = 16384
STEPS = 3


def run_after(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run([AFTER, *args], capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, f"{' '.join(args[:1])} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result


def assert_two_ranks_trained(result: subprocess.CompletedProcess, checkpoint: Path) -> None:
    """Both processes joined the gloo group, and rank 0 saved the state after exactly STEPS updates."""
    log = result.stdout + result.stderr
    assert "GLOBAL_RANK: 0, MEMBER: 1/2" in log and "GLOBAL_RANK: 1, MEMBER: 2/2" in log, log[-3000:]
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    assert state["global_step"] == STEPS


@pytest.fixture(scope="module")
def audio_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ddp")
    return synth.write_dataset(root / "audio", minutes=0.5, sample_rate=SR, seed=0, timbres=("organ", "pluck"),
                               clip_seconds=4.0).root


def test_codec_trainer_ddp(audio_dir, tmp_path):
    db = tmp_path / "waveforms"
    run_after("prepare_dataset", "--input_path", str(audio_dir), "--output_path", str(db), "--save_waveform",
              "--waveform_augmentation", "none", "--num_signal", str(NUM_SIGNAL), "--sample_rate", str(SR))
    result = run_after("train_autoencoder", "--name", "ddp", "--save_dir", str(tmp_path / "runs"),
                       # the discriminator has no gradients before its warm-up ends: the default strategy on several
                       # devices is DDP that allows unused parameters (plain `ddp` refuses them)
                       "--db_path", str(db), "--config", "smallAE", "--devices", "2",
                       "--max_steps", str(STEPS), "--bsize", "2", "--num_signal", "8192")
    assert_two_ranks_trained(result, tmp_path / "runs" / "ddp" / "checkpoints" / "last.ckpt")


def test_diffusion_trainer_ddp(audio_dir, dct_codec_path, tmp_path):
    db = tmp_path / "latents"
    run_after("prepare_dataset", "--input_path", str(audio_dir), "--output_path", str(db),
              "--emb_model_path", str(dct_codec_path), "--waveform_augmentation", "none",
              "--num_signal", str(NUM_SIGNAL), "--sample_rate", str(SR))
    result = run_after("train", "--name", "ddp", "--out_path", str(tmp_path / "runs"), "--db_path", str(db),
                       "--emb_model_path", str(dct_codec_path), "--config", "base", "--config", "tiny",
                       # the default strategy on several devices: DDP that tolerates the parameters a training
                       # phase leaves unused (plain `ddp` refuses them)
                       "--devices", "2", "--max_steps", str(STEPS), "--bsize", "2",
                       "--n_signal", "16", "--val_every", "1000", "--save_every", "1000",
                       "--set", "model.denoiser.n_layers=2")
    assert_two_ranks_trained(result, tmp_path / "runs" / "ddp" / "checkpoints" / "last.ckpt")
