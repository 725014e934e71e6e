"""`after train`, `after transfer`."""

from pathlib import Path
from typing import Optional

import click

from after.cli.common import hardware_options, lightning_hardware, run_command, train_overrides
from after.config import available_presets, preset_description

DIFFUSION_PRESETS = ("base", "midi", "tiny", "cycle")


def _presets_help() -> str:
    shipped = [p for p in DIFFUSION_PRESETS if p in available_presets()]
    return "; ".join(f"{p}: {preset_description(p)}" for p in shipped)


@click.command("train")
@click.option("--name", required=True, help="Run name: the run folder is <out_path>/<name>.")
@click.option("--db_path", "db_paths", multiple=True, required=True, type=click.Path(path_type=Path),
              help="Dataset with codec latents (repeatable; datasets are mixed with weights ∝ size^0.3).")
@click.option("--emb_model_path", required=True, type=click.Path(path_type=Path),
              help="Codec .ts with nn~ encode/decode (ratio and latent size are probed).")
@click.option("--config", "presets", multiple=True, default=("base",), show_default=True,
              help="Preset name or YAML path, in order (e.g. --config base --config tiny). " + _presets_help())
@click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
              help="Override a config value, e.g. --set train.lr=2e-4 (repeatable).")
@hardware_options(default_gpu=None, default_help="Lightning's auto")
@click.option("--bsize", type=int, default=None, help="Batch size (train.batch_size).")
@click.option("--n_signal", type=int, default=None, help="Latent frames per training crop (train.n_signal).")
@click.option("--max_steps", type=int, default=None)
@click.option("--save_every", type=int, default=None, help="Checkpoint every N steps.")
@click.option("--val_every", type=int, default=None, help="Validate (losses + audio examples) every N steps.")
@click.option("--num_workers", type=int, default=None, help="Data loader workers (train.num_workers).")
@click.option("--seed", type=int, default=None, help="Seed of the run (train.seed).")
@click.option("--max_time", type=click.FloatRange(min=1.0), default=None, metavar="SECONDS",
              help="Stop after this much training time (counted across --resume), saving as at a normal end.")
@click.option("--resume", is_flag=True, help="Continue <out_path>/<name> from checkpoints/last.ckpt.")
@click.option("--out_path", type=click.Path(path_type=Path), default=Path("after_runs"), show_default=True)
@run_command
def train(name: str, db_paths: tuple[Path, ...], emb_model_path: Path, presets: tuple[str, ...],
          overrides: tuple[str, ...], gpu: Optional[int], devices: Optional[str], num_nodes: int,
          strategy: Optional[str], precision: Optional[str], bsize: Optional[int], n_signal: Optional[int],
          max_steps: Optional[int], save_every: Optional[int], val_every: Optional[int],
          num_workers: Optional[int], seed: Optional[int], max_time: Optional[float], resume: bool,
          out_path: Path) -> None:
    """Train an AFTER latent-diffusion model (audio→audio or MIDI→audio) on codec latents."""
    from after.diffusion.training.run import TrainOptions, train_diffusion

    overrides = train_overrides(overrides, batch_size=bsize, n_signal=n_signal, max_steps=max_steps,
                                save_every=save_every, val_every=val_every, num_workers=num_workers, seed=seed)
    options = TrainOptions(name=name, db_paths=db_paths, codec_path=emb_model_path, presets=presets,
                           overrides=overrides, out_path=out_path, resume=resume, max_time_s=max_time,
                           **lightning_hardware(gpu, devices, num_nodes, strategy, precision))
    result = train_diffusion(options)
    click.echo(f"run saved in {result.run_dir} (step {result.step})")


@click.command("transfer")
@click.option("--model", required=True, type=click.Path(path_type=Path),
              help="A run folder from `after train`, or an exported after.audio.*.ts / after.midi.*.ts.")
@click.option("--structure", required=True, type=click.Path(path_type=Path),
              help="Structure source: audio, or a .mid file for MIDI models.")
@click.option("--timbre", required=True, type=click.Path(path_type=Path), help="Timbre source (audio).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Output WAV.")
@click.option("--steps", type=click.IntRange(1, 1000), default=10, show_default=True, help="Euler steps.")
@click.option("--guidance_timbre", type=float, default=1.0, show_default=True)
@click.option("--guidance_structure", type=float, default=1.0, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--step", "checkpoint_step", type=int, default=None,
              help="Checkpoint step of a run folder (default: last).")
@click.option("--emb_model_path", type=click.Path(path_type=Path), default=None,
              help="Codec .ts for a run folder (default: the one recorded in the run).")
@run_command
def transfer(model: Path, structure: Path, timbre: Path, out: Path, steps: int, guidance_timbre: float,
             guidance_structure: float, seed: int, checkpoint_step: Optional[int],
             emb_model_path: Optional[Path]) -> None:
    """Offline timbre transfer: structure from one file, timbre from another, any length."""
    from after.diffusion.transfer import TransferSettings
    from after.diffusion.transfer import transfer as run_transfer

    settings = TransferSettings(steps, guidance_timbre, guidance_structure, seed)
    result = run_transfer(model, structure, timbre, out, settings, emb_model_path, checkpoint_step)
    click.echo(f"wrote {result.path} ({result.n_samples / result.sample_rate:.2f} s at {result.sample_rate} Hz)")


COMMANDS = [train, transfer]
