"""`train_diffusion`: check the inputs, lay out the run folder and run Lightning (what `after train` calls).

Run folder `<out_path>/<name>/`: `config.yaml` (resolved config), `codec.json` (codec path, ratio, latent
size, sample rate), `latent_stats.json` (per-channel mean/std of the training latents, measured once at the
start of the run; resuming reuses it), `feature_stats.json` (the same for the `model.structure_features`
descriptors, only with them), `databases.json` (absolute paths and weights of the training
databases, the default of `after export --db_path`), `checkpoints/last.ckpt` + `checkpoints/step=<N>.ckpt`,
`logs/` (TensorBoard).
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from after.config import load_config, save_config
from after.data.dataset import check_frame_features
from after.data.store import DatabaseInfo, database_info
from after.diffusion.config import DiffusionConfig
from after.diffusion.latent_stats import (
    FEATURE_STATS_FILE,
    LATENT_STATS_FILE,
    LatentStats,
    compute_feature_stats,
    compute_latent_stats,
    load_latent_stats,
    save_latent_stats,
    with_channel_gains,
)
from after.errors import InputError
from after.io import write_json_atomic
from after.nn_tilde.codec_ts import CodecHandle, load_codec
from after.training.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT, check_run_start
from after.training.time_budget import time_budget_callbacks

CONFIG_FILE = "config.yaml"
CODEC_FILE = "codec.json"
DATABASES_FILE = "databases.json"


@dataclass(frozen=True)
class TrainOptions:
    """Everything `after train` is given besides the config. `presets` and `overrides` build the config of a
    fresh run; on `resume` the run's saved config is read and `overrides` apply on top of it (the CLI turns
    `--bsize`, `--seed`, … into `train.*` overrides). `accelerator`/`devices`/`num_nodes`/`strategy`/`precision`
    go to the Lightning Trainer unchanged (`after.cli.common.lightning_hardware` makes them from
    `--gpu/--devices`). `max_time_s`: stop after that much training time (counted across resumes), with a
    progress bar of the time (`after.training.time_budget`)."""

    name: str
    db_paths: Sequence[Path]
    codec_path: Path
    presets: Sequence[str] = ("base",)
    overrides: Sequence[str] = ()
    out_path: Path = Path("after_runs")
    resume: bool = False
    accelerator: str = "auto"
    devices: Any = "auto"  # int, list of indices or "auto", as Lightning takes it
    num_nodes: int = 1
    strategy: str = "auto"
    precision: Any = None  # Lightning's precision values ("32-true", "bf16-mixed", ...); None: its default
    db_weights: Optional[Sequence[float]] = None
    progress_bar: bool = True
    extra_callbacks: Sequence[Any] = field(default_factory=tuple)
    max_time_s: Optional[float] = None


def check_inputs(config: DiffusionConfig, codec: CodecHandle, db_paths: Sequence[Path]) -> list[DatabaseInfo]:
    """One-line `InputError`s for databases that cannot train this config with this codec."""
    if not db_paths:
        raise InputError("no database given; pass --db_path (repeatable) with latents from `after prepare_dataset`")
    infos = []
    for path in db_paths:
        info = database_info(path)
        if not info.has_latents or info.latent_shape is None:
            raise InputError(f"{path}: database has no codec latents; run `after prepare_dataset "
                             f"--emb_model_path {codec.path}` on it first")
        channels, frames = info.latent_shape
        if channels != codec.latent_size or info.codec_ratio != codec.ratio:
            raise InputError(f"{path}: latents were made by a codec with {channels} channels and ratio "
                             f"{info.codec_ratio}, but {codec.path} has {codec.latent_size} and {codec.ratio}; "
                             f"give the codec used by `after prepare_dataset`, or prepare the data again")
        if frames < config.train.n_signal:
            raise InputError(f"{path}: records have {frames} latent frames, fewer than n_signal="
                             f"{config.train.n_signal}; pass a smaller --n_signal or prepare longer chunks")
        if config.model.midi and not info.has_midi:
            raise InputError(f"{path}: database has no MIDI notes but the config trains a MIDI model; prepare it "
                             f"with MIDI files or basic-pitch transcription, or use --config base")
        if config.model.structure_features:  # stored at the latents' frame rate, valid with them
            check_frame_features(path, info, config.model.structure_features, str(codec.path))
        infos.append(info)
    return infos


def resolve_config(options: TrainOptions, run_dir: Path) -> DiffusionConfig:
    """The config of the run: presets + overrides, or on `resume` the saved config + overrides. A resumed run
    must have its `latent_stats.json`: its networks were trained on latents standardised with it."""
    check_run_start(run_dir, options.resume)
    if options.resume:
        stats = run_dir / LATENT_STATS_FILE
        if not stats.exists():
            raise InputError(f"{stats}: missing, and the run's networks expect latents standardised with it; "
                             f"restore it from a copy of the run folder, or start a new run (another --name, "
                             f"no --resume)")
        return load_config(DiffusionConfig, [str(run_dir / CONFIG_FILE)], options.overrides)
    return load_config(DiffusionConfig, options.presets, options.overrides)


def run_latent_stats(options: TrainOptions, run_dir: Path, channel_gains: Sequence[float] = ()) -> LatentStats:
    """A fresh run measures the training latents and saves `latent_stats.json`; a resumed run reads it back
    (never re-measured, so resuming on other data keeps the scale the networks learnt). `channel_gains`
    (`train.channel_gains`) divide the std of the leading channels (see `with_channel_gains`)."""
    path = run_dir / LATENT_STATS_FILE
    if options.resume:
        return load_latent_stats(path)
    stats = with_channel_gains(compute_latent_stats(options.db_paths, progress=options.progress_bar), channel_gains)
    save_latent_stats(stats, path)
    return stats


def run_feature_stats(options: TrainOptions, run_dir: Path, names: Sequence[str]) -> Optional[LatentStats]:
    """Like `run_latent_stats`, for the `model.structure_features` descriptors (`feature_stats.json`); None
    when the model reads none."""
    if not names:
        return None
    path = run_dir / FEATURE_STATS_FILE
    if options.resume:
        if not path.exists():
            raise InputError(f"{path}: missing, and the run's structure encoder expects descriptors standardised "
                             f"with it; restore it from a copy of the run folder, or start a new run")
        return load_latent_stats(path)
    stats = compute_feature_stats(options.db_paths, names, progress=options.progress_bar)
    save_latent_stats(stats, path)
    return stats


@dataclass
class DiffusionRunResult:
    """What a finished (or time-limited) run left: its folder, resolved config and the optimizer step reached."""

    run_dir: Path
    config: DiffusionConfig
    step: int


def train_diffusion(options: TrainOptions) -> DiffusionRunResult:
    """Train (or resume) a diffusion run. All input checks happen before Lightning starts."""
    import lightning as L
    from lightning.pytorch.loggers import TensorBoardLogger

    from after.diffusion.training.callbacks import AudioExamples, EMACallback
    from after.diffusion.training.data import LatentDataModule
    from after.diffusion.training.system import DiffusionSystem
    from after.training.checkpoints import StepCheckpoints

    run_dir = Path(options.out_path) / options.name
    config = resolve_config(options, run_dir)
    codec = load_codec(options.codec_path)
    infos = check_inputs(config, codec, options.db_paths)
    sample_rate = codec.sample_rate or infos[0].sample_rate

    run_dir.mkdir(parents=True, exist_ok=True)
    save_config(config, run_dir / CONFIG_FILE)
    write_json_atomic(run_dir / CODEC_FILE, {"path": str(Path(options.codec_path).resolve()), "ratio": codec.ratio,
                                             "latent_size": codec.latent_size, "sample_rate": sample_rate})
    write_json_atomic(run_dir / DATABASES_FILE, {
        "db_paths": [str(Path(p).resolve()) for p in options.db_paths],
        "weights": list(options.db_weights) if options.db_weights is not None else None})
    latent_stats = run_latent_stats(options, run_dir, config.train.channel_gains)
    L.seed_everything(config.train.seed, workers=True, verbose=False)
    feature_stats = run_feature_stats(options, run_dir, config.model.structure_features)
    system = DiffusionSystem(config, codec.latent_size, latent_stats, feature_stats)
    data = LatentDataModule(options.db_paths, config.train.n_signal, config.train.batch_size, config.model.midi,
                            config.train.num_workers, options.db_weights, config.conditioning.timbre_pairing,
                            config.model.structure_features)
    callbacks = [EMACallback(config.train.ema_decay),
                 StepCheckpoints(run_dir / CHECKPOINT_DIR, config.train.save_every),
                 AudioExamples(codec.path, sample_rate, config.train.val_examples, config.train.val_sampling_steps),
                 *options.extra_callbacks]
    if options.max_time_s is not None:
        callbacks += time_budget_callbacks(options.max_time_s, f"train {options.name}")
    trainer = L.Trainer(
        accelerator=options.accelerator, devices=options.devices, num_nodes=options.num_nodes,
        strategy=options.strategy, precision=options.precision, max_steps=config.train.max_steps,
        val_check_interval=config.train.val_every, check_val_every_n_epoch=None,
        limit_val_batches=config.train.val_batches, num_sanity_val_steps=0,
        logger=TensorBoardLogger(str(run_dir), name="logs", version=""), callbacks=callbacks,
        enable_checkpointing=False, enable_progress_bar=options.progress_bar, enable_model_summary=False,
        log_every_n_steps=min(50, config.train.val_every))
    resume_from = run_dir / CHECKPOINT_DIR / LAST_CHECKPOINT if options.resume else None
    trainer.fit(system, datamodule=data, ckpt_path=str(resume_from) if resume_from else None)
    return DiffusionRunResult(run_dir, config, trainer.global_step)
