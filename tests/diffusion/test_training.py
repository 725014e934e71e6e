"""Diffusion training: dropout rates, phase switch, EMA, checkpoints and resume, run loading, input checks."""

import lightning as L
import pytest
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.config import load_config
from after.diffusion.config import DiffusionConfig
from after.diffusion.latent_stats import LATENT_STATS_FILE
from after.diffusion.runs import load_run
from after.diffusion.training.callbacks import EMACallback
from after.diffusion.training.conditioning import adversarial_weight, apply_drop, draw_drop_masks, shuffle_segments
from after.diffusion.training.run import TrainOptions, train_diffusion
from after.diffusion.training.system import DiffusionSystem
from after.errors import ConfigError, InputError, OutputExistsError
from after.nn_tilde.module import NNModule, save_nn_model
from tests.helpers.diffusion_helpers import SMALL_MODEL, random_clips, write_latent_db

N_FRAMES = 64


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def midi_db(tmp_path_factory, dct_codec_path):
    codec = torch.jit.load(str(dct_codec_path))
    return write_latent_db(tmp_path_factory.mktemp("db") / "db", codec, random_clips(0, 3, N_FRAMES), N_FRAMES)


def small_config(*overrides: str, presets=("base", "tiny")) -> DiffusionConfig:
    return load_config(DiffusionConfig, list(presets), [*SMALL_MODEL, *overrides])


def train_options(tmp_path, db, codec, *overrides, name="run", presets=("base", "tiny"), **kwargs) -> TrainOptions:
    overrides = (*SMALL_MODEL, "train.batch_size=4", "train.n_signal=16", "train.val_every=1000",
                 "train.val_batches=1", *overrides)
    return TrainOptions(name=name, db_paths=[db], codec_path=codec, presets=presets, overrides=overrides,
                        out_path=tmp_path, accelerator="cpu", devices=1, progress_bar=False, **kwargs)


# ------------------------------------------------------------------ conditioning
def test_dropout_rates_match_the_config():
    gen = torch.Generator().manual_seed(0)
    n = 200_000
    masks = draw_drop_masks(n, 0.2, ("timbre", "structure"), True, torch.device("cpu"), gen)
    both = (masks.timbre & masks.structure).float().mean()
    timbre_only = (masks.timbre & ~masks.structure).float().mean()
    structure_only = (~masks.timbre & masks.structure).float().mean()
    for rate in (both, timbre_only, structure_only):
        assert abs(float(rate) - 0.2) < 0.005

    midi = draw_drop_masks(n, 0.2, ("structure",), True, torch.device("cpu"), gen)
    assert abs(float(midi.timbre.float().mean()) - 0.2) < 0.005
    assert abs(float(midi.structure.float().mean()) - 0.4) < 0.005

    phase_1 = draw_drop_masks(n, 0.2, ("timbre", "structure"), False, torch.device("cpu"), gen)
    assert bool(phase_1.structure.all())
    assert abs(float(phase_1.timbre.float().mean()) - 0.2) < 0.005


def test_apply_drop_replaces_only_masked_items():
    x = torch.randn(3, 2, 5)
    out = apply_drop(x, torch.tensor([True, False, True]))
    assert torch.all(out[0] == -4.0) and torch.all(out[2] == -4.0)
    assert torch.equal(out[1], x[1])


def test_shuffle_segments_permutes_whole_blocks():
    z = torch.arange(2 * 3 * 18, dtype=torch.float32).reshape(2, 3, 18)
    out = shuffle_segments(z, 4, torch.Generator().manual_seed(1))
    assert out.shape == z.shape
    assert torch.equal(out[..., 16:], z[..., 16:])  # tail shorter than a block stays
    for item in range(2):
        blocks = {tuple(out[item, 0, i:i + 4].tolist()) for i in range(0, 16, 4)}
        assert blocks == {tuple(z[item, 0, i:i + 4].tolist()) for i in range(0, 16, 4)}
    assert not torch.equal(out, z)


def test_adversarial_weight_ramps_after_phase_1():
    assert adversarial_weight(50, 100, 60, 0.075) == 0.0
    assert adversarial_weight(130, 100, 60, 0.075) == pytest.approx(0.0375)
    assert adversarial_weight(1000, 100, 60, 0.075) == pytest.approx(0.075)


def test_presets_resolve_and_overlays_stack():
    base = load_config(DiffusionConfig, ["base"])
    tiny = load_config(DiffusionConfig, ["base", "tiny"])
    midi = load_config(DiffusionConfig, ["midi"])
    cycle = load_config(DiffusionConfig, ["base", "tiny", "cycle"])
    assert (base.model.denoiser.embed_dim, tiny.model.denoiser.embed_dim) == (512, 256)
    assert tiny.train.phase_1_step == base.train.phase_1_step == 100_000
    assert midi.model.midi and midi.model.zs == 128 and midi.model.denoiser.look_back == 16
    assert midi.conditioning.drop_targets == ("structure",) and not midi.train.freeze_timbre_encoder
    assert cycle.cycle.enabled and cycle.cycle.start_step == 600_000 and cycle.model == tiny.model
    with pytest.raises(ConfigError):
        load_config(DiffusionConfig, ["base"], ["conditioning.drop_targets=[pitch]"])


# ------------------------------------------------------------------ EMA
def test_ema_callback_averages_denoiser_weights():
    system = DiffusionSystem(small_config(), 64)
    with torch.no_grad():
        for p in system.denoiser.parameters():
            p.add_(1.0)
    before = {k: v.clone() for k, v in system.ema_denoiser.state_dict().items()}
    EMACallback(0.9).on_train_batch_end(None, system, None, None, 0)
    for name, value in system.denoiser.state_dict().items():
        expected = 0.9 * before[name] + 0.1 * value if value.dtype.is_floating_point else value
        assert torch.allclose(system.ema_denoiser.state_dict()[name], expected, atol=1e-6)


# ------------------------------------------------------------------ training runs
class Snapshots(L.Callback):
    """Records the timbre encoder and denoiser weights after every step, and the optimizer step count and
    EMA weights when training starts."""

    def __init__(self):
        self.timbre, self.denoiser, self.opt_steps, self.ema_at_start = [], [], [], {}

    def on_train_start(self, trainer, pl_module):
        state = trainer.optimizers[0].state
        self.opt_steps.append(max((int(s["step"]) for s in state.values()), default=0))
        self.ema_at_start = {k: v.clone() for k, v in pl_module.ema_denoiser.state_dict().items()}

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.timbre.append(torch.cat([p.detach().flatten().clone() for p in pl_module.timbre_encoder.parameters()]))
        self.denoiser.append(torch.cat([p.detach().flatten().clone() for p in pl_module.denoiser.parameters()]))


def test_phase_switch_freezes_the_timbre_encoder(tmp_path, midi_db, dct_codec_path):
    snaps = Snapshots()
    options = train_options(tmp_path, midi_db, dct_codec_path, "train.phase_1_step=3", "train.max_steps=6",
                            "train.save_every=100", extra_callbacks=(snaps,))
    train_diffusion(options)
    assert len(snaps.timbre) == 6
    # Steps 1–3 (phase 1) move the timbre encoder; from step 4 on it no longer changes.
    assert not torch.equal(snaps.timbre[0], snaps.timbre[2])
    assert torch.equal(snaps.timbre[3], snaps.timbre[5])
    assert not torch.equal(snaps.denoiser[3], snaps.denoiser[5])


def test_checkpoints_and_resume_continue_steps_optimizer_and_ema(tmp_path, midi_db, dct_codec_path):
    run_dir = train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.phase_1_step=2",
                                            "train.max_steps=4", "train.save_every=2")).run_dir
    ckpts = run_dir / "checkpoints"
    assert sorted(p.name for p in ckpts.iterdir()) == ["last.ckpt", "step=2.ckpt", "step=4.ckpt"]
    assert (run_dir / "config.yaml").exists() and (run_dir / "codec.json").exists()
    assert list((run_dir / "logs").rglob("events.out.tfevents.*"))
    saved = torch.load(ckpts / "last.ckpt", weights_only=True)
    assert saved["global_step"] == 4

    snaps = Snapshots()
    options = train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=7", resume=True,
                            extra_callbacks=(snaps,))
    train_diffusion(options)
    assert len(snaps.timbre) == 3  # steps 5, 6, 7
    assert snaps.opt_steps == [4]  # AdamW state restored
    saved_ema = {k[len("ema_denoiser."):]: v for k, v in saved["state_dict"].items() if k.startswith("ema_denoiser.")}
    assert all(torch.equal(snaps.ema_at_start[k], v) for k, v in saved_ema.items())
    assert torch.load(ckpts / "last.ckpt", weights_only=True)["global_step"] == 7

    run = load_run(run_dir)
    assert run.step == 7 and run.config.train.max_steps == 7
    assert not run.networks.denoiser.training and not run.networks.timbre_encoder.training
    last = torch.load(ckpts / "last.ckpt", weights_only=True)["state_dict"]
    for name, value in run.networks.denoiser.state_dict().items():
        assert torch.equal(value, last[f"ema_denoiser.{name}"])
    assert load_run(run_dir, step=2).step == 2
    with pytest.raises(InputError, match="available steps: 2, 4"):
        load_run(run_dir, step=3)


def test_existing_run_needs_resume(tmp_path, midi_db, dct_codec_path):
    run_dir = train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=1")).run_dir
    with pytest.raises(OutputExistsError, match="--resume"):
        train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=1"))
    with pytest.raises(InputError, match="nothing to resume"):
        train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, name="other", resume=True))
    # A run that lost its latent statistics cannot resume on unstandardised latents without a word.
    (run_dir / LATENT_STATS_FILE).unlink()
    with pytest.raises(InputError, match="latent_stats.json: missing.*start a new run"):
        train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=2", resume=True))


def test_midi_and_cycle_configs_train(tmp_path, midi_db, dct_codec_path):
    midi = train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=2", name="midi",
                                         presets=("midi", "tiny"))).run_dir
    assert load_run(midi).networks.structure_encoder is None
    cycle = train_diffusion(train_options(tmp_path, midi_db, dct_codec_path, "train.max_steps=3",
                                          "train.phase_1_step=1", "cycle.start_step=2", name="cycle",
                                          presets=("base", "tiny", "cycle")))
    assert cycle.step == 3 and load_run(cycle.run_dir).step == 3


# ------------------------------------------------------------------ bad input, through the CLI
class EncodeLess(NNModule):
    def __init__(self):
        super().__init__()
        self.register_method("decode", 64, 256, 1, 1)

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return z.new_zeros(z.shape[0], 1, z.shape[-1] * 256)


def run_train(tmp_path, db, codec, *extra):
    args = ["train", "--name", "bad", "--db_path", str(db), "--emb_model_path", str(codec),
            "--out_path", str(tmp_path / "runs"), "--gpu", "-1", "--n_signal", "16", *extra]
    return CliRunner().invoke(after_group, args)


def assert_one_line_error(result, fragment):
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.strip().splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("error:") and fragment in lines[0], result.output


def test_bad_inputs_fail_before_training(tmp_path, midi_db, dct_codec_path):
    codec = tmp_path / "decode_only.ts"
    save_nn_model(EncodeLess(), codec, {"kind": "codec"})
    assert_one_line_error(run_train(tmp_path, midi_db, codec), "has no nn~ method 'encode'")

    no_latents = write_latent_db(tmp_path / "nolat", torch.jit.load(str(dct_codec_path)),
                                 random_clips(1, 1, N_FRAMES), N_FRAMES, with_latents=False)
    assert_one_line_error(run_train(tmp_path, no_latents, dct_codec_path), "has no codec latents")

    no_midi = write_latent_db(tmp_path / "nomidi", torch.jit.load(str(dct_codec_path)),
                              random_clips(1, 1, N_FRAMES), N_FRAMES, with_midi=False)
    assert_one_line_error(run_train(tmp_path, no_midi, dct_codec_path, "--config", "midi"), "has no MIDI notes")
    assert_one_line_error(run_train(tmp_path, tmp_path / "missing", dct_codec_path), "dataset not found")
    assert not (tmp_path / "runs" / "bad" / "checkpoints").exists()
