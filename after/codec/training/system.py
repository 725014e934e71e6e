"""The codec's LightningModule and its data-dependent initialisation.

`CodecTraining` wraps the plain `Codec` and the discriminator: multi-resolution STFT reconstruction + latent
penalty from the start, then after `warmup_steps` a multi-scale STFT discriminator with feature matching
(and an optional hinge adversarial term). `after.codec.training.run` runs it on `WaveformDataset`s and writes
the run folder (see `after.codec.runs`).
"""

from __future__ import annotations

import lightning as L
import torch
from torch import nn
from torch.nn.utils import parametrize

from after.codec.config import CodecConfig
from after.codec.discriminator import MultiScaleSTFTDiscriminator
from after.codec.losses import feature_matching, hinge_discriminator, hinge_generator, multiresolution_stft_distance
from after.codec.model import build_codec, latent_penalty
from after.data.dataset import WaveformDataset
from after.training.checkpoints import StepCheckpoints

VALIDATION_EXAMPLES = 4
INITIALISATION_BATCH = 16  # crops seen by the data-dependent initialisation


class CodecTraining(L.LightningModule):
    """Generator (`self.codec`) and discriminator with manual optimisation.

    `self.step` counts generator updates (Lightning's `global_step` counts every optimizer call); it is a
    buffer, so it is saved in checkpoints and restored on resume.
    """

    step: torch.Tensor

    def __init__(self, cfg: CodecConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.codec = build_codec(cfg.model)
        self.discriminator = MultiScaleSTFTDiscriminator(cfg.train.discriminator_scales,
                                                         cfg.train.discriminator_channels)
        self.register_buffer("step", torch.zeros((), dtype=torch.long))
        self.automatic_optimization = False

    def configure_optimizers(self):
        t = self.cfg.train
        gen = torch.optim.AdamW(self.codec.parameters(), t.learning_rate, betas=(0.9, 0.999))
        disc = torch.optim.AdamW(self.discriminator.parameters(), t.discriminator_learning_rate, betas=(0.8, 0.9))
        return [gen, disc]

    def _generator_losses(self, x: torch.Tensor, adversarial: bool) -> tuple[torch.Tensor, dict, torch.Tensor]:
        t = self.cfg.train
        z = self.codec.encode(x)
        y = self.codec.decode(z)
        reconstruction = multiresolution_stft_distance(y, x, t.stft_scales, t.stft_log_epsilon)
        ramp = min(1.0, float(self.step) / max(1, t.latent_penalty_ramp_steps))
        penalty = latent_penalty(z)
        loss = reconstruction + t.latent_penalty_weight * ramp * penalty
        logs = {"reconstruction": reconstruction.detach(), "latent_penalty": penalty.detach()}
        if t.timbre_smoothness_weight > 0 and self.cfg.model.family == "harmonic":
            smoothness = timbre_code_change(z)
            loss = loss + t.timbre_smoothness_weight * smoothness
            logs["timbre_smoothness"] = smoothness.detach()
        if adversarial:
            real_logits, real_features = self.discriminator(x)
            fake_logits, fake_features = self.discriminator(y)
            fm = feature_matching(real_features, fake_features)
            loss = loss + t.feature_matching_weight * fm
            logs["feature_matching"] = fm.detach()
            if t.adversarial_weight > 0:
                adv = hinge_generator(fake_logits)
                loss = loss + t.adversarial_weight * adv
                logs["adversarial"] = adv.detach()
        logs["generator"] = loss.detach()
        return loss, logs, y

    def training_step(self, batch: dict, batch_idx: int) -> None:
        t = self.cfg.train
        x = batch["waveform"]
        gen_opt, disc_opt = self.optimizers()  # type: ignore[misc, attr-defined]  # two optimizers: a list
        adversarial = int(self.step) >= t.warmup_steps
        loss, logs, y = self._generator_losses(x, adversarial)
        gen_opt.zero_grad()
        self.manual_backward(loss)
        self.clip_gradients(gen_opt, gradient_clip_val=t.gradient_clip,  # type: ignore[arg-type]
                            gradient_clip_algorithm="norm")  # (a LightningOptimizer is accepted)
        gen_opt.step()
        if adversarial and int(self.step) % t.discriminator_every == 0:
            real_logits, _ = self.discriminator(x)
            fake_logits, _ = self.discriminator(y.detach())
            d_loss = hinge_discriminator(real_logits, fake_logits)
            disc_opt.zero_grad()
            self.manual_backward(d_loss)
            self.clip_gradients(disc_opt, gradient_clip_val=t.gradient_clip,  # type: ignore[arg-type]
                                gradient_clip_algorithm="norm")
            disc_opt.step()
            logs["discriminator"] = d_loss.detach()
        self.step += 1
        self.log_dict({f"train/{k}": v for k, v in logs.items()}, prog_bar=False, sync_dist=False)
        self.log("step", self.step.float(), prog_bar=True)
        if int(self.step) >= t.max_steps:
            self.trainer.should_stop = True

    def validation_step(self, batch: dict, batch_idx: int) -> None:
        x = batch["waveform"]
        y = self.codec(x)
        t = self.cfg.train
        self.log("validation/mrstft", multiresolution_stft_distance(y, x, t.stft_scales, t.stft_log_epsilon),
                 sync_dist=True, prog_bar=True)
        if batch_idx == 0 and self.trainer.is_global_zero and hasattr(self.logger, "experiment"):
            pair = torch.cat([x[:VALIDATION_EXAMPLES], y[:VALIDATION_EXAMPLES]], -1)  # original | reconstruction
            self.logger.experiment.add_audio("validation/original_then_reconstruction",
                                             pair.reshape(1, -1).clamp(-1, 1).float().cpu(),
                                             int(self.step), sample_rate=self.cfg.model.sample_rate)


def timbre_code_change(z: torch.Tensor) -> torch.Tensor:
    """Mean squared frame-to-frame change of the harmonic codec's timbre code (latent channels after the
    structure channels), z [B, C, T]. Penalised so that the code moves at the pace an instrument's timbre
    does, not with every note: a slow code is what a diffusion model conditioned on a timbre vector can
    generate for another instrument's melody."""
    from after.codec.harmonic import STRUCTURE_CHANNELS

    timbre = z[:, STRUCTURE_CHANNELS:]
    return (timbre[..., 1:] - timbre[..., :-1]).pow(2).mean()


def initialise_from_data(codec: nn.Module, x: torch.Tensor) -> None:
    """Data-dependent initialisation (Salimans & Kingma 2016, §3 of the weight-normalisation paper).

    One offline pass over `x` [B, 1, N] rescales each convolution, in the order the signal meets them, so its
    output (bias left out) has unit standard deviation per channel over batch and time; a second pass scales the
    decoder's last convolution so the reconstruction starts as loud as `x`. With PyTorch's default
    initialisation every layer shrinks its input (a fresh smallAE's latents have std ≈ 0.004 on audio of std
    0.1), so the decoder ignores them and a short training run never makes them carry the signal.
    """

    def normalise(conv: nn.Conv1d, inputs: tuple, out: torch.Tensor) -> torch.Tensor:
        bias = conv.bias.view(1, -1, 1) if conv.bias is not None else torch.zeros(())
        std = (out - bias).transpose(0, 1).reshape(out.shape[1], -1).std(-1).clamp_min(1e-8)
        _scale_output(conv, 1.0 / std, scale_bias=False)
        return (out - bias) / std.view(1, -1, 1) + bias

    convs = [m for m in codec.modules() if isinstance(m, nn.Conv1d)]
    hooks = [conv.register_forward_hook(normalise) for conv in convs]
    try:
        with torch.no_grad():
            codec(x)
    finally:
        for hook in hooks:
            hook.remove()
    with torch.no_grad():
        loudness = codec(x).std() / x.std().clamp_min(1e-8)
        last = [m for m in codec.decoder.modules() if isinstance(m, nn.Conv1d)][-1]
        _scale_output(last, 1.0 / loudness.expand(last.out_channels), scale_bias=True)


def _scale_output(conv: nn.Conv1d, scale: torch.Tensor, scale_bias: bool) -> None:
    """Multiply output channel c of `conv` by scale[c] (its weight-norm gain when it has one)."""
    with torch.no_grad():
        if parametrize.is_parametrized(conv, "weight"):
            conv.parametrizations.weight.original0.mul_(scale.view(-1, 1, 1))
        else:
            conv.weight.mul_(scale.view(-1, 1, 1))
        if scale_bias and conv.bias is not None:
            conv.bias.mul_(scale)


def initialisation_batch(dataset: WaveformDataset, size: int, seed: int = 0) -> torch.Tensor:
    """The same `size` crops [size, 1, num_signal] on every process (DDP ranks must initialise alike)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return torch.stack([dataset[i % len(dataset)]["waveform"] for i in range(size)])


class GeneratorStepCheckpoints(StepCheckpoints):
    """Checkpoints counted in generator updates (`CodecTraining.step`): Lightning's `global_step` counts the
    steps of both optimizers."""

    def current_step(self, trainer: L.Trainer, pl_module: L.LightningModule) -> int:
        assert isinstance(pl_module, CodecTraining)
        return int(pl_module.step)
