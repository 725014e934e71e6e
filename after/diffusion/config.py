"""`DiffusionConfig`: everything `after train` needs besides the data and the codec.

Presets (`after/configs/{base,midi,tiny,cycle}.yaml`, documented in `docs/CONFIGS.md`) fill it; `tiny` and
`cycle` are overlays (`--config base --config tiny`). Steps count optimizer updates; frames are codec latent
frames (one frame = `ratio` audio samples).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Tuple

from after.diffusion.model_config import ModelConfig


@dataclass(frozen=True)
class TrainingConfig:
    """Optimisation, schedule and logging."""

    lr: float = 1e-4
    betas: Tuple[float, float] = (0.9, 0.999)
    batch_size: int = 32
    n_signal: int = 128  # latent frames per training crop (target and timbre input)
    max_steps: int = 1_000_000
    phase_1_step: int = 100_000  # before: structure always dropped; from here on: structure trained
    freeze_timbre_encoder: bool = True  # freeze the timbre encoder from phase_1_step on
    grad_clip: float = 10.0  # on the denoiser's gradients only
    ema_decay: float = 0.999  # EMA of the denoiser weights
    save_every: int = 25_000
    val_every: int = 10_000
    val_batches: int = 100  # batches of validation losses per validation
    val_examples: int = 6  # audio examples (reconstruction + transfer) logged per validation
    val_sampling_steps: int = 20  # Euler steps for the logged examples
    num_workers: int = 0
    seed: int = 0
    # Std of the leading standardised latent channels (default 1): > 1 makes the flow generate them more
    # precisely (`after.diffusion.latent_stats.with_channel_gains`); the ddsp overlays set the pitch's.
    channel_gains: Tuple[float, ...] = ()

    def __post_init__(self) -> None:
        for name in ("batch_size", "n_signal", "max_steps", "save_every", "val_every", "val_sampling_steps"):
            if getattr(self, name) < 1:
                raise ValueError(f"train.{name} must be ≥ 1")
        if self.phase_1_step < 0:
            raise ValueError("train.phase_1_step must be ≥ 0")
        if not 0.0 <= self.ema_decay < 1.0:
            raise ValueError("train.ema_decay must be in [0, 1)")


@dataclass(frozen=True)
class ConditioningConfig:
    """Classifier-free-guidance dropout, noise augmentation and regularisation of the two conditions."""

    drop_rate: float = 0.2  # probability of each dropout case (both / timbre only / structure only)
    drop_targets: Tuple[str, ...] = ("timbre", "structure")  # which single-condition cases exist
    timbre_noise: float = 0.03  # std of Gaussian noise added to the timbre vector in training
    structure_noise: float = 0.015  # std of Gaussian noise added to the structure signal in training
    shuffle_blocks: Tuple[int, ...] = (4, 8)  # timbre input: time blocks (frames) permuted at random
    regularizer_weight: float = 1.0  # soft-box penalty mean(relu(|c| - 1)) on both conditions
    # Timbre input of a training item: "record" (another crop of the same record) or "label" (a crop of
    # another record with the same label: another clip of the same instrument; see `LatentDataset`).
    timbre_pairing: str = "record"

    def __post_init__(self) -> None:
        if not 0.0 <= self.drop_rate <= 1.0 / 3.0:
            raise ValueError("conditioning.drop_rate must be in [0, 1/3] (three cases share the unit interval)")
        if self.timbre_pairing not in ("record", "label"):
            raise ValueError("conditioning.timbre_pairing must be record or label")
        bad = set(self.drop_targets) - {"timbre", "structure"}
        if bad:
            raise ValueError(f"conditioning.drop_targets: unknown target {sorted(bad)[0]!r}; use timbre, structure")
        if any(b < 1 for b in self.shuffle_blocks):
            raise ValueError("conditioning.shuffle_blocks must be positive frame counts")


@dataclass(frozen=True)
class AdversarialConfig:
    """Training of the classifier (sizes: `model.classifier`) that predicts the timbre vector from the
    structure signal, and of the structure encoder that fools it (audio structure only)."""

    enabled: bool = True
    weight: float = 0.075  # final weight of -classifier_loss in the generator loss
    warmup_steps: int = 60_000  # linear ramp of the weight from 0, counted from phase_1_step
    lr: float = 1e-4
    classifier_period: int = 3  # the classifier learns on (period - 1) of every `period` steps

    def __post_init__(self) -> None:
        if self.classifier_period < 2:
            raise ValueError("adversarial.classifier_period must be ≥ 2")


@dataclass(frozen=True)
class CycleConfig:
    """Cycle consistency (experimental overlay): swap timbres across the batch, predict a one-step clean
    estimate, re-encode it and ask for the swapped conditions back."""

    enabled: bool = False
    start_step: int = 600_000
    margin: float = 0.05  # loss = max(margin, MSE)
    timbre_weight: float = 0.15
    structure_weight: float = 0.15


@dataclass(frozen=True)
class DiffusionConfig:
    """Resolved configuration of an AFTER diffusion run (saved as `config.yaml` and in every checkpoint)."""

    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainingConfig = field(default_factory=TrainingConfig)
    conditioning: ConditioningConfig = field(default_factory=ConditioningConfig)
    adversarial: AdversarialConfig = field(default_factory=AdversarialConfig)
    cycle: CycleConfig = field(default_factory=CycleConfig)
