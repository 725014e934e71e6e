"""`after train_autoencoder`, `after export_autoencoder`."""

from pathlib import Path
from typing import Optional, Tuple

import click

from after.cli.common import hardware_options, lightning_hardware, run_command, train_overrides


@click.command("train_autoencoder")
@click.option("--name", default="test", show_default=True, help="run name (folder under --save_dir)")
@click.option("--db_path", multiple=True, required=True, help="waveform database (repeatable)")
@click.option("--config", "configs", multiple=True, help="config preset or .yaml (repeatable; default baseAE)")
@click.option("--save_dir", default="autoencoder_runs", show_default=True, type=click.Path(file_okay=False))
@hardware_options(default_gpu=-1, default_help="-1, the CPU")
@click.option("--bsize", type=click.IntRange(1), default=None, help="batch size (train.batch_size)")
@click.option("--num_signal", type=click.IntRange(1), default=None, help="samples per crop (train.num_signal)")
@click.option("--max_steps", type=click.IntRange(1), default=None, help="generator steps (train.max_steps)")
@click.option("--save_every", type=click.IntRange(1), default=None, help="checkpoint period (train.save_every)")
@click.option("--val_every", type=click.IntRange(1), default=None, help="validation period (train.val_every)")
@click.option("--num_workers", default=0, show_default=True, type=click.IntRange(0), help="data loader workers")
@click.option("--seed", type=int, default=None, help="seed the codec's initialisation and the data order")
@click.option("--max_time", type=click.FloatRange(min=1.0), default=None, metavar="SECONDS",
              help="Stop after this much training time (counted across --resume), saving as at a normal end.")
@click.option("--resume", is_flag=True, help="continue the run from its last checkpoint (its own config + --set)")
@click.option("--set", "overrides", multiple=True, help="config override key.path=value (repeatable)")
@run_command
def train_autoencoder(name: str, db_path: Tuple[str, ...], configs: Tuple[str, ...], save_dir: str,
                      gpu: Optional[int], devices: Optional[str], num_nodes: int, strategy: Optional[str],
                      precision: Optional[str], bsize: Optional[int], num_signal: Optional[int],
                      max_steps: Optional[int], save_every: Optional[int], val_every: Optional[int],
                      num_workers: int, seed: Optional[int], max_time: Optional[float], resume: bool,
                      overrides: Tuple[str, ...]) -> None:
    """Train the streaming neural audio codec on waveform databases."""
    from after.codec.training.run import CodecTrainOptions
    from after.codec.training.run import train_autoencoder as run_training

    overrides = train_overrides(overrides, batch_size=bsize, num_signal=num_signal, max_steps=max_steps,
                                save_every=save_every, val_every=val_every)
    options = CodecTrainOptions(name=name, db_paths=[Path(p) for p in db_path], presets=configs or ("baseAE",),
                                overrides=overrides, save_dir=Path(save_dir), resume=resume, num_workers=num_workers,
                                seed=seed, max_time_s=max_time,
                                **lightning_hardware(gpu, devices, num_nodes, strategy, precision))
    result = run_training(options)
    click.echo(f"run saved in {result.run_dir} (step {result.step})")


@click.command("export_autoencoder")
@click.option("--model_path", required=True, type=click.Path(file_okay=False), help="codec run folder")
@click.option("--step", type=click.IntRange(0), default=None, help="checkpoint step (default: last)")
@run_command
def export_autoencoder(model_path: str, step: Optional[int]) -> None:
    """Export a codec run to export.ts (offline) and export_stream.ts (streaming) inside the run folder."""
    from after.codec.export import export_codec
    from after.codec.runs import load_codec_run

    run = load_codec_run(model_path, step)
    paths = export_codec(run.codec, run.config, model_path)
    click.echo(f"step {run.step}: wrote {paths['offline']} and {paths['stream']} "
               f"(streaming latency {run.codec.latency} samples)")


COMMANDS = [train_autoencoder, export_autoencoder]
