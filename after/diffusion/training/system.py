"""`DiffusionSystem`: the LightningModule that trains an AFTER latent-diffusion model.

Rectified flow on codec latents (UPSTREAM.md §4.1): x_t = (1 − t)·noise + t·z, the denoiser predicts the
velocity z − noise, MSE. Two phases (§4.6): before `train.phase_1_step` the structure is always dropped and
the denoiser learns timbre-conditioned generation; from then on the structure is used and (optionally) the
timbre encoder is frozen. An adversarial classifier predicts the timbre from the structure; the structure
encoder is trained to fool it. Classifier-free-guidance dropout, noise augmentation, soft-box penalties,
and the optional cycle-consistency term complete the generator loss. The EMA copy of the denoiser lives
here (`ema_denoiser`, saved in every checkpoint) and is updated by `callbacks.EMACallback`.

Every network works on standardised latents: `latent_norm` (buffers `latent_norm.mean` / `latent_norm.std`,
saved in every checkpoint) is applied to `z` and `z_timbre` of every batch (`standardized`) in training,
validation and the logged examples. With `model.structure_features`, the batch's `features` [B, F, T] are
standardised by `feature_norm` (buffers `feature_norm.*`) and read by the structure encoder after the latents;
they enter the denoiser only through the structure, so dropping the structure drops them too.
"""

import copy
import random
from typing import Any, Dict, Optional

import lightning as L
import torch
import torch.nn.functional as F
from torch.func import functional_call

from after.config import config_to_dict
from after.diffusion.builders import Networks, build_networks
from after.diffusion.config import DiffusionConfig
from after.diffusion.latent_stats import LatentStandardizer, LatentStats, identity_stats
from after.diffusion.networks.classifier import TimbreClassifier, cosine_loss
from after.diffusion.networks.conditioning import DROP_VALUE, soft_box_penalty
from after.diffusion.training.conditioning import (
    add_noise,
    adversarial_weight,
    apply_drop,
    draw_drop_masks,
    shuffle_segments,
)

CONFIG_KEY = "after_config"
LATENT_SIZE_KEY = "after_latent_size"


class DiffusionSystem(L.LightningModule):
    """Batches come from `LatentDataset`: `z` [B, C, T], `z_timbre` [B, C, T], for MIDI models `piano_roll`
    [B, 128, T], and with `model.structure_features` the raw descriptors `features` [B, F, T]."""

    def __init__(self, config: DiffusionConfig, latent_size: int, latent_stats: Optional[LatentStats] = None,
                 feature_stats: Optional[LatentStats] = None) -> None:
        super().__init__()
        self.config = config
        self.latent_size = latent_size
        self.latent_norm = LatentStandardizer(latent_stats or identity_stats(latent_size))
        n_features = len(config.model.structure_features)
        self.feature_norm = LatentStandardizer(feature_stats or identity_stats(n_features)) if n_features else None
        networks = build_networks(config.model, latent_size)
        self.denoiser = networks.denoiser
        self.timbre_encoder = networks.timbre_encoder
        self.structure_encoder = networks.structure_encoder
        self.ema_denoiser = copy.deepcopy(self.denoiser).requires_grad_(False).eval()
        self.classifier = networks.classifier if config.adversarial.enabled else None

    # ------------------------------------------------------------------ phases
    def in_structure_phase(self, step: Optional[int] = None) -> bool:
        """True from `train.phase_1_step` on (the structure condition is used)."""
        return (self.global_step if step is None else step) >= self.config.train.phase_1_step

    def timbre_encoder_frozen(self, step: Optional[int] = None) -> bool:
        return self.config.train.freeze_timbre_encoder and self.in_structure_phase(step)

    def apply_phase(self) -> None:
        """Freeze the timbre encoder (no gradients, batch-norm statistics fixed) once its phase is over."""
        if self.timbre_encoder_frozen():
            self.timbre_encoder.requires_grad_(False)
            self.timbre_encoder.eval()

    def on_train_batch_start(self, batch: Any, batch_idx: int) -> None:
        self.apply_phase()

    def standardized(self, batch: Dict[str, Any]) -> Dict[str, Any]:
        """The batch with its latents (`z`, `z_timbre` [B, C, T]) standardised; other items unchanged."""
        return {key: self.latent_norm(value) if key in ("z", "z_timbre") else value for key, value in batch.items()}

    # ------------------------------------------------------------------ networks for inference
    def inference_networks(self) -> Networks:
        """The networks used for sampling: EMA denoiser, the encoders and the classifier."""
        return Networks(self.ema_denoiser, self.timbre_encoder, self.structure_encoder, self.classifier)

    def structure_input(self, z: torch.Tensor, batch: Dict[str, torch.Tensor]) -> torch.Tensor:
        """What the structure encoder reads for standardised latents z [B, C, T]: z, followed by the batch's
        standardised `features` [B, F, T] when the model has `structure_features`."""
        if self.feature_norm is None:
            return z
        return torch.cat([z, self.feature_norm(batch["features"]).to(z.dtype)], dim=1)

    def encode_structure(self, batch: Dict[str, torch.Tensor]) -> Optional[torch.Tensor]:
        """Structure condition [B, zs, T]: the piano roll for MIDI models, else the structure encoder of z
        (and of the descriptors, see `structure_input`)."""
        if self.config.model.midi:
            return batch["piano_roll"]
        if self.structure_encoder is None or not self.in_structure_phase():
            return None
        return self.structure_encoder(self.structure_input(batch["z"], batch))

    def dropped_structure(self, z: torch.Tensor) -> torch.Tensor:
        """The dropped structure condition [B, zs, T] for latents z [B, C, T]."""
        return torch.full((z.shape[0], self.config.model.zs, z.shape[-1]), DROP_VALUE, device=z.device,
                          dtype=z.dtype)

    def encode_timbre(self, z_timbre: torch.Tensor) -> torch.Tensor:
        """Timbre vector [B, zt] of a (segment-shuffled, in training) latent crop [B, C, T]."""
        if self.training and self.config.conditioning.shuffle_blocks:
            z_timbre = shuffle_segments(z_timbre, random.choice(self.config.conditioning.shuffle_blocks))
        return self.timbre_encoder(z_timbre)

    # ------------------------------------------------------------------ losses
    def flow_loss(self, z: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor
                  ) -> Dict[str, torch.Tensor]:
        """Rectified-flow MSE on velocity; also returns x_t, t and the prediction for the cycle term."""
        noise = torch.randn_like(z)
        t = torch.rand(z.shape[0], device=z.device, dtype=z.dtype)
        tt = t[:, None, None]
        x_t = (1.0 - tt) * noise + tt * z
        velocity = self.denoiser(x_t, t, timbre, structure)
        return {"loss": F.mse_loss(velocity, z - noise), "x_t": x_t, "t": t}

    def cycle_loss(self, x_t: torch.Tensor, t: torch.Tensor, timbre: torch.Tensor,
                   structure: Optional[torch.Tensor], batch: Dict[str, torch.Tensor]) -> torch.Tensor:
        """Swap timbres across the batch, predict a one-step clean estimate, re-encode it and ask for the
        swapped conditions back: max(margin, MSE); the timbre term is weighted towards noisy t, where the
        estimate is driven by the conditions rather than by x_t. The estimate's structure is re-encoded with
        the batch's descriptors (those of the structure it was asked to keep)."""
        cfg = self.config.cycle
        perm = torch.roll(torch.arange(t.shape[0], device=t.device), 1)
        swapped = timbre[perm].detach()
        structure_in = structure if structure is not None else self.dropped_structure(x_t)
        estimate = x_t + (1.0 - t)[:, None, None] * self.denoiser(x_t, t, swapped, structure_in)
        ramp = 0.5 * (1.0 + torch.tanh(7.0 * (0.4 - t)))
        timbre_err = ((self.timbre_encoder(estimate) - swapped) ** 2).mean(dim=-1)
        loss = cfg.timbre_weight * torch.clamp((ramp * timbre_err).mean(), min=cfg.margin)
        if structure is not None and self.structure_encoder is not None:
            structure_err = F.mse_loss(self.structure_encoder(self.structure_input(estimate, batch)),
                                       structure.detach())
            loss = loss + cfg.structure_weight * torch.clamp(structure_err, min=cfg.margin)
        return loss

    def training_step(self, batch: Dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        cfg = self.config
        step = self.global_step
        structure_phase = self.in_structure_phase()
        batch = self.standardized(batch)
        z = batch["z"]
        timbre = self.encode_timbre(batch["z_timbre"])
        structure = self.encode_structure(batch)
        regularizer = soft_box_penalty(timbre)
        if structure is not None and not cfg.model.midi:
            regularizer = regularizer + soft_box_penalty(structure)

        masks = draw_drop_masks(z.shape[0], cfg.conditioning.drop_rate, cfg.conditioning.drop_targets,
                                structure_phase, z.device)
        timbre_in = apply_drop(add_noise(timbre, cfg.conditioning.timbre_noise), masks.timbre)
        if structure is None:
            structure_in = self.dropped_structure(z)
        else:
            structure_in = apply_drop(add_noise(structure, cfg.conditioning.structure_noise), masks.structure)
        flow = self.flow_loss(z, timbre_in, structure_in)
        loss = flow["loss"] + cfg.conditioning.regularizer_weight * regularizer
        self.log("train/diffusion_loss", flow["loss"], prog_bar=True)
        self.log("train/regularizer", regularizer)

        if self.classifier is not None and structure is not None:
            loss = loss + self.adversarial_terms(self.classifier, step, structure, timbre)
        if cfg.cycle.enabled and step >= cfg.cycle.start_step:
            cycle = self.cycle_loss(flow["x_t"], flow["t"], timbre, structure, batch)
            self.log("train/cycle_loss", cycle)
            loss = loss + cycle
        self.log("train/loss", loss)
        return loss

    def adversarial_terms(self, classifier: TimbreClassifier, step: int, structure: torch.Tensor,
                          timbre: torch.Tensor) -> torch.Tensor:
        """Alternate updates inside one optimizer step: on (period − 1) of every `period` steps the classifier
        learns to predict the (detached) timbre from the (detached) structure; on the remaining step the
        structure encoder is pushed to raise the loss of a frozen copy of the classifier's weights."""
        cfg = self.config.adversarial
        weight = adversarial_weight(step, self.config.train.phase_1_step, cfg.warmup_steps, cfg.weight)
        self.log("train/adversarial_weight", weight)
        if step % cfg.classifier_period:
            classifier_loss = cosine_loss(classifier(structure.detach()), timbre.detach())
            self.log("train/classifier_loss", classifier_loss)
            return classifier_loss
        frozen = {name: p.detach() for name, p in classifier.named_parameters()}
        adversarial = cosine_loss(functional_call(classifier, frozen, (structure,)), timbre.detach())
        self.log("train/adversarial_loss", adversarial)
        return -weight * adversarial

    def validation_step(self, batch: Dict[str, torch.Tensor], batch_idx: int) -> torch.Tensor:
        batch = self.standardized(batch)
        timbre = self.timbre_encoder(batch["z_timbre"])
        structure = self.encode_structure(batch)
        if structure is None:
            structure = self.dropped_structure(batch["z"])
        loss = self.flow_loss(batch["z"], timbre, structure)["loss"]
        self.log("validation/diffusion_loss", loss, prog_bar=True, sync_dist=True)
        return loss

    # ------------------------------------------------------------------ optimisation
    def configure_optimizers(self) -> torch.optim.Optimizer:
        """One AdamW: the generator group (denoiser + encoders) and the classifier group. Parameters whose
        gradient is None in a step (frozen timbre encoder, classifier on generator steps) are left alone."""
        cfg = self.config
        generator = list(self.denoiser.parameters()) + list(self.timbre_encoder.parameters())
        if self.structure_encoder is not None:
            generator += list(self.structure_encoder.parameters())
        groups = [{"params": generator, "lr": cfg.train.lr}]
        if self.classifier is not None:
            groups.append({"params": list(self.classifier.parameters()), "lr": cfg.adversarial.lr})
        return torch.optim.AdamW(groups, betas=cfg.train.betas)

    def configure_gradient_clipping(self, optimizer: torch.optim.Optimizer, gradient_clip_val: Any = None,
                                    gradient_clip_algorithm: Any = None) -> None:
        """Clip the denoiser's gradients only (norm `train.grad_clip`)."""
        torch.nn.utils.clip_grad_norm_(self.denoiser.parameters(), self.config.train.grad_clip)

    def on_save_checkpoint(self, checkpoint: Dict[str, Any]) -> None:
        checkpoint[CONFIG_KEY] = config_to_dict(self.config)
        checkpoint[LATENT_SIZE_KEY] = self.latent_size
