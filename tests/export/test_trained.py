"""`after export` / `after export_midi` on run folders written by real (short) `after train` runs: the
exporter reads the training engineer's checkpoints, codec record, latent statistics and database record, not
hand-made ones."""

import pytest
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.diffusion.latent_stats import LATENT_STATS_FILE, load_latent_stats
from after.diffusion.training.run import TrainOptions, train_diffusion
from after.nn_tilde.host import emulate_host, load_ts, read_model_info
from tests.helpers.diffusion_helpers import LATENT_SIZE, RATIO, SAMPLE_RATE, SMALL_MODEL, random_clips, write_latent_db
from tests.helpers.export_models import make_streaming_codec, one_thread  # noqa: F401 (one_thread: fixture)

N_FRAMES = 64

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.slow
@pytest.mark.parametrize("kind,presets", [("audio", ("base", "tiny")), ("midi", ("midi",))])
def test_export_a_trained_run(tmp_path, kind, presets):
    codec_path = make_streaming_codec(tmp_path / "export_stream.ts", RATIO, LATENT_SIZE, SAMPLE_RATE)
    db = write_latent_db(tmp_path / "db", torch.jit.load(str(codec_path)), random_clips(0, 3, N_FRAMES), N_FRAMES)
    overrides = (*SMALL_MODEL, "train.batch_size=4", "train.n_signal=16", "train.val_every=1000",
                 "train.val_batches=1", "train.max_steps=3", "train.save_every=3", "train.phase_1_step=1")
    if kind == "midi":
        overrides = tuple(o for o in overrides if not o.startswith(("model.structure_encoder", "model.classifier")))
    run = train_diffusion(TrainOptions(name="run", db_paths=[db], codec_path=codec_path, presets=presets,
                                       overrides=overrides, out_path=tmp_path, accelerator="cpu", devices=1,
                                       progress_bar=False)).run_dir
    command = "export" if kind == "audio" else "export_midi"
    # No --db_path: the timbre map and presets come from the databases the run recorded.
    result = CliRunner().invoke(after_group, [command, "--model_path", str(run), "--emb_model_path",
                                              str(codec_path), "--step", "3"])
    assert result.exit_code == 0, result.output
    path = run / f"after.{kind}.run.ts"
    info = read_model_info(path)
    assert info.metadata["step"] == 3 and info.metadata["labels"] == ["saw", "sine", "square"]
    stats = load_latent_stats(run / LATENT_STATS_FILE)
    assert info.metadata["latent_standardization"]["std"] == pytest.approx(stats.std)
    assert {p["label"] for p in info.metadata["presets"]} == {"saw", "sine", "square"}
    method = info.methods["forward"]
    y = emulate_host(load_ts(path), "forward", torch.randn(2, method.in_channels, 4096), 1, 1)
    assert y.shape == (2, 1, 4096) and torch.isfinite(y).all()
