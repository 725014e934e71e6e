"""`after train_autoencoder`, `after export_autoencoder`."""

from pathlib import Path
from typing import Optional, Tuple

import click

from after.cli.common import run_command


def _resolve_config(configs: Tuple[str, ...], overrides: Tuple[str, ...], db_paths: Tuple[str, ...],
                    flags: dict):
    """Presets + --set + explicit flags, with the sample rate taken from the databases."""
    import dataclasses

    from after.codec.config import CodecConfig
    from after.config import load_config
    from after.data.store import database_info
    from after.errors import InputError

    flag_overrides = [f"train.{key}={value}" for key, value in flags.items() if value is not None]
    cfg = load_config(CodecConfig, configs or ("baseAE",), list(overrides) + flag_overrides)
    rates = {path: database_info(path).sample_rate for path in db_paths}
    if len(set(rates.values())) > 1:
        raise InputError(f"databases have different sample rates ({', '.join(f'{p}: {r}' for p, r in rates.items())}); "
                         f"prepare them at one --sample_rate")
    sample_rate = next(iter(rates.values()))
    if cfg.train.num_signal % cfg.model.ratio:
        raise InputError(f"--num_signal {cfg.train.num_signal}: not a multiple of the codec ratio {cfg.model.ratio}")
    return dataclasses.replace(cfg, model=dataclasses.replace(cfg.model, sample_rate=sample_rate))


@click.command("train_autoencoder")
@click.option("--name", default="test", show_default=True, help="run name (folder under --save_dir)")
@click.option("--db_path", multiple=True, required=True, help="waveform database (repeatable)")
@click.option("--config", "configs", multiple=True, help="config preset or .yaml (repeatable; default baseAE)")
@click.option("--save_dir", default="autoencoder_runs", show_default=True, type=click.Path(file_okay=False))
@click.option("--gpu", default=-1, show_default=True, help="-1: CPU, N: CUDA device N")
@click.option("--devices", default=None, help="Lightning devices (e.g. 4 or 0,1); overrides --gpu")
@click.option("--num_nodes", default=1, show_default=True, type=click.IntRange(1))
@click.option("--strategy", default="auto", show_default=True, help="Lightning strategy (ddp, ...)")
@click.option("--precision", default="32-true", show_default=True, help="Lightning precision (bf16-mixed, ...)")
@click.option("--bsize", type=click.IntRange(1), default=None, help="batch size (train.batch_size)")
@click.option("--num_signal", type=click.IntRange(1), default=None, help="samples per crop (train.num_signal)")
@click.option("--max_steps", type=click.IntRange(1), default=None, help="generator steps (train.max_steps)")
@click.option("--save_every", type=click.IntRange(1), default=None, help="checkpoint period (train.save_every)")
@click.option("--val_every", type=click.IntRange(1), default=None, help="validation period (train.val_every)")
@click.option("--num_workers", default=0, show_default=True, type=click.IntRange(0), help="data loader workers")
@click.option("--resume", is_flag=True, help="continue the run from its last checkpoint (its own config)")
@click.option("--set", "overrides", multiple=True, help="config override key.path=value (repeatable)")
@run_command
def train_autoencoder(name: str, db_path: Tuple[str, ...], configs: Tuple[str, ...], save_dir: str, gpu: int,
                      devices: Optional[str], num_nodes: int, strategy: str, precision: str, bsize: Optional[int],
                      num_signal: Optional[int], max_steps: Optional[int], save_every: Optional[int],
                      val_every: Optional[int], num_workers: int, resume: bool, overrides: Tuple[str, ...]) -> None:
    """Train the streaming neural audio codec on waveform databases."""
    import dataclasses

    from after.codec.config import CodecConfig
    from after.codec.runs import CONFIG_FILE
    from after.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT
    from after.codec.training import TrainerSettings, train_codec
    from after.config import load_saved_config, save_config
    from after.errors import InputError, OutputExistsError

    run_dir = Path(save_dir) / name
    last = run_dir / CHECKPOINT_DIR / LAST_CHECKPOINT
    flags = {"batch_size": bsize, "num_signal": num_signal, "max_steps": max_steps, "save_every": save_every,
             "val_every": val_every}
    if resume:
        if not last.exists():
            raise InputError(f"{last}: nothing to resume; start the run without --resume")
        cfg = load_saved_config(CodecConfig, run_dir / CONFIG_FILE)
        changed = {k: v for k, v in flags.items() if v is not None}
        cfg = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, **changed))
    else:
        if last.exists():
            raise OutputExistsError(f"{run_dir}: run already has checkpoints; pass --resume to continue it or "
                                    f"choose another --name")
        cfg = _resolve_config(configs, overrides, db_path, flags)
    save_config(cfg, run_dir / CONFIG_FILE)
    if devices is not None:
        accelerator = "auto"
        device_arg = [int(d) for d in devices.split(",")] if "," in devices else int(devices) if devices.isdigit() else devices
    else:
        accelerator, device_arg = ("cpu", 1) if gpu < 0 else ("gpu", [gpu])
    hardware = TrainerSettings(accelerator, device_arg, num_nodes, strategy, precision, num_workers)
    train_codec(cfg, list(db_path), run_dir, hardware, resume_from=last if resume else None)


@click.command("export_autoencoder")
@click.option("--model_path", required=True, type=click.Path(file_okay=False), help="codec run folder")
@click.option("--step", type=click.IntRange(0), default=None, help="checkpoint step (default: last)")
@run_command
def export_autoencoder(model_path: str, step: Optional[int]) -> None:
    """Export a codec run to export.ts (offline) and export_stream.ts (streaming) inside the run folder."""
    from after.codec.export import export_codec
    from after.codec.runs import load_codec_run

    cfg, codec, saved_step = load_codec_run(model_path, step)
    paths = export_codec(codec, cfg, model_path)
    click.echo(f"step {saved_step}: wrote {paths['offline']} and {paths['stream']} "
               f"(streaming latency {codec.latency} samples)")


COMMANDS = [train_autoencoder, export_autoencoder]
