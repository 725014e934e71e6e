"""`train_autoencoder`: check the inputs, lay out the run folder and run Lightning (what
`after train_autoencoder` calls).

Run folder `<save_dir>/<name>/`: `config.yaml` (resolved config; `model.sample_rate` is the databases'),
`checkpoints/last.ckpt` + `checkpoints/step=<N>.ckpt` (N counts generator updates), `tensorboard/`. Read it
back with `after.codec.runs.load_codec_run`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

from torch import nn

from after.codec.config import CodecConfig
from after.codec.runs import CONFIG_FILE
from after.config import load_config, save_config
from after.data.store import database_info
from after.errors import InputError
from after.training.run_folder import CHECKPOINT_DIR, LAST_CHECKPOINT, check_run_start


@dataclass(frozen=True)
class CodecTrainOptions:
    """Everything `after train_autoencoder` is given besides the config. `presets` and `overrides` build the
    config of a fresh run; on `resume` the run's saved config is read and `overrides` apply on top of it (the
    CLI turns `--bsize`, `--max_steps`, … into `train.*` overrides). `accelerator`/`devices`/`num_nodes`/
    `strategy`/`precision` go to the Lightning Trainer unchanged (`after.cli.common.lightning_hardware` makes
    them from `--gpu/--devices`). `max_time_s`: stop after that much training time (counted across resumes),
    with a progress bar of the time (`after.training.time_budget`). `seed`: seeds Python, NumPy and torch before the
    codec is built (None: not seeded)."""

    name: str
    db_paths: Sequence[Path]
    presets: Sequence[str] = ("baseAE",)
    overrides: Sequence[str] = ()
    save_dir: Path = Path("autoencoder_runs")
    resume: bool = False
    accelerator: str = "cpu"
    devices: Any = 1  # int, list of indices or "auto", as Lightning takes it
    num_nodes: int = 1
    strategy: str = "auto"
    precision: Any = None  # Lightning's precision values ("32-true", "bf16-mixed", ...); None: its default
    num_workers: int = 0
    seed: Optional[int] = None
    progress_bar: bool = True
    extra_callbacks: Sequence[Any] = ()
    max_time_s: Optional[float] = None


@dataclass
class CodecRunResult:
    """What a finished (or time-limited) run left: its folder, resolved config, generator step reached, and the
    trained codec (train mode, on the device it trained on)."""

    run_dir: Path
    config: CodecConfig
    step: int
    codec: nn.Module  # the family's codec module (`encode`, `decode`, `latency`)


@dataclass(frozen=True)
class TrainerSettings:
    """Lightning hardware flags and data-loader workers of one `train_codec` call."""

    accelerator: str = "cpu"
    devices: Any = 1
    num_nodes: int = 1
    strategy: str = "auto"
    precision: Any = None
    num_workers: int = 0
    progress_bar: bool = True


def database_sample_rate(db_paths: Sequence[Path]) -> int:
    """The one sample rate of the training databases; `InputError` when none is given or they disagree."""
    if not db_paths:
        raise InputError("no database given; pass --db_path (repeatable) with waveforms from "
                         "`after prepare_dataset --save_waveform`")
    rates = {str(path): database_info(path).sample_rate for path in db_paths}
    if len(set(rates.values())) > 1:
        raise InputError(f"databases have different sample rates ({', '.join(f'{p}: {r}' for p, r in rates.items())}); "
                         f"prepare them at one --sample_rate")
    return next(iter(rates.values()))


def resolve_codec_config(options: CodecTrainOptions, run_dir: Path) -> CodecConfig:
    """The config of the run: presets + overrides with the databases' sample rate, or on `resume` the saved
    config + overrides. One-line `InputError`s for what cannot train."""
    check_run_start(run_dir, options.resume)
    sample_rate = database_sample_rate(options.db_paths)
    if options.resume:
        cfg = load_config(CodecConfig, [str(run_dir / CONFIG_FILE)], options.overrides)
        if cfg.model.sample_rate != sample_rate:
            raise InputError(f"{options.db_paths[0]}: {sample_rate} Hz, but the run {run_dir} trains at "
                             f"{cfg.model.sample_rate} Hz; resume on databases prepared at that --sample_rate")
    else:
        cfg = load_config(CodecConfig, options.presets, options.overrides)
        cfg = dataclasses.replace(cfg, model=dataclasses.replace(cfg.model, sample_rate=sample_rate))
    if cfg.train.num_signal % cfg.model.ratio:
        raise InputError(f"--num_signal {cfg.train.num_signal}: not a multiple of the codec ratio {cfg.model.ratio}")
    return cfg


def train_autoencoder(options: CodecTrainOptions) -> CodecRunResult:
    """Train (or resume) a codec run. All input checks happen before Lightning starts."""
    run_dir = Path(options.save_dir) / options.name
    cfg = resolve_codec_config(options, run_dir)
    save_config(cfg, run_dir / CONFIG_FILE)
    if options.seed is not None:
        import lightning as L

        L.seed_everything(options.seed, workers=True, verbose=False)
    hardware = TrainerSettings(options.accelerator, options.devices, options.num_nodes, options.strategy,
                               options.precision, options.num_workers, options.progress_bar)
    resume_from = run_dir / CHECKPOINT_DIR / LAST_CHECKPOINT if options.resume else None
    callbacks = list(options.extra_callbacks)
    if options.max_time_s is not None:
        from after.training.time_budget import time_budget_callbacks

        callbacks += time_budget_callbacks(options.max_time_s, f"train_autoencoder {options.name}")
    module = train_codec(cfg, options.db_paths, run_dir, hardware, resume_from, callbacks)
    return CodecRunResult(run_dir, cfg, int(module.step), module.codec)


def train_codec(cfg: CodecConfig, db_paths: Sequence[str | Path], run_dir: Path,
                hardware: TrainerSettings = TrainerSettings(), resume_from: Path | None = None,
                extra_callbacks: Sequence[Any] = ()) -> Any:
    """Fit `cfg` on the waveforms of `db_paths`, writing TensorBoard logs and checkpoints into `run_dir` (whose
    `config.yaml` the caller has written); returns the `CodecTraining` module. `resume_from`: a checkpoint to
    continue from; `extra_callbacks`: more Lightning callbacks (a time limit, a step clock)."""
    import lightning as L
    from lightning.pytorch.loggers import TensorBoardLogger
    from torch.utils.data import DataLoader

    from after.codec.augment import AugmentedWaveforms
    from after.codec.training.system import (
        INITIALISATION_BATCH,
        CodecTraining,
        GeneratorStepCheckpoints,
        initialisation_batch,
        initialise_from_data,
    )
    from after.data.dataset import WaveformDataset

    t = cfg.train
    train_set = WaveformDataset(db_paths, t.num_signal, "train")
    val_set = WaveformDataset(db_paths, t.num_signal, "validation")
    train_loader = DataLoader(AugmentedWaveforms(train_set, cfg.model.sample_rate, t), batch_size=t.batch_size,
                              sampler=train_set.sampler(num_samples=t.batch_size * t.max_steps),
                              num_workers=hardware.num_workers, drop_last=True,
                              persistent_workers=hardware.num_workers > 0)
    val_loader = DataLoader(val_set, batch_size=t.batch_size, num_workers=0)
    module = CodecTraining(cfg)
    if resume_from is None and t.initialise_from_data:
        initialise_from_data(module.codec, initialisation_batch(train_set, INITIALISATION_BATCH))
    trainer = L.Trainer(
        accelerator=hardware.accelerator, devices=hardware.devices, num_nodes=hardware.num_nodes,
        strategy=hardware.strategy, precision=hardware.precision, max_epochs=-1, max_steps=-1,
        val_check_interval=t.val_every, check_val_every_n_epoch=None, limit_val_batches=8,
        logger=TensorBoardLogger(str(run_dir), name="", version="tensorboard", default_hp_metric=False),
        callbacks=[GeneratorStepCheckpoints(Path(run_dir) / CHECKPOINT_DIR, t.save_every), *extra_callbacks],
        enable_checkpointing=False, enable_progress_bar=hardware.progress_bar,
        num_sanity_val_steps=0, log_every_n_steps=min(50, t.val_every), enable_model_summary=False,
    )
    trainer.fit(module, train_loader, val_loader if len(val_set) else None,
                ckpt_path=str(resume_from) if resume_from else None)
    return module
