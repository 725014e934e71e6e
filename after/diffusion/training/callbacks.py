"""Callbacks of diffusion training: EMA of the denoiser, run checkpoints, audio examples in TensorBoard."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Optional, cast

import lightning as L
import torch

from after.diffusion.sampling import sample
from after.nn_tilde.codec_ts import CodecHandle, load_codec

if TYPE_CHECKING:
    from after.diffusion.training.system import DiffusionSystem


class EMACallback(L.Callback):
    """After every optimizer step: ema ← decay·ema + (1 − decay)·weights, for the denoiser of a
    `DiffusionSystem` (its `ema_denoiser` is saved in checkpoints, so resuming continues the average)."""

    def __init__(self, decay: float) -> None:
        self.decay = decay

    @torch.no_grad()
    def on_train_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, outputs: Any, batch: Any,
                           batch_idx: int) -> None:
        ema = pl_module.ema_denoiser.state_dict()
        for name, value in pl_module.denoiser.state_dict().items():
            if value.dtype.is_floating_point:
                ema[name].lerp_(value.to(ema[name].dtype), 1.0 - self.decay)
            else:
                ema[name].copy_(value)


class AudioExamples(L.Callback):
    """At each validation: sample `n_examples` items of the first validation batch with the EMA denoiser
    (`sampling_steps` Euler steps) and log to TensorBoard `true/i`, `reconstruction/i` (own timbre and
    structure) and `transfer/i_to_j` (structure of i, timbre of j = i + 1), decoded with the codec (the networks
    work on standardised latents: samples are mapped back to the codec's scale before decoding)."""

    def __init__(self, codec_path: Path, sample_rate: int, n_examples: int, sampling_steps: int) -> None:
        self.codec_path = Path(codec_path)
        self.sample_rate = sample_rate
        self.n_examples = n_examples
        self.sampling_steps = sampling_steps
        self.codec: Optional[CodecHandle] = None
        self.batch: Optional[Dict[str, torch.Tensor]] = None

    def on_validation_batch_end(self, trainer: L.Trainer, pl_module: L.LightningModule, outputs: Any,
                                batch: Dict[str, torch.Tensor], batch_idx: int, dataloader_idx: int = 0) -> None:
        if batch_idx == 0:
            self.batch = {k: v[: self.n_examples] for k, v in batch.items() if isinstance(v, torch.Tensor)}

    @torch.no_grad()
    def on_validation_epoch_end(self, trainer: L.Trainer, pl_module: L.LightningModule) -> None:
        if self.batch is None or not trainer.is_global_zero or trainer.sanity_checking:
            return
        experiment = getattr(trainer.logger, "experiment", None)
        if experiment is None or not hasattr(experiment, "add_audio"):
            return
        if self.codec is None:
            self.codec = load_codec(self.codec_path)
        system = cast("DiffusionSystem", pl_module)  # the LightningModule this callback is made for
        nets = system.inference_networks()
        batch = system.standardized(self.batch)
        n = batch["z"].shape[0]
        timbre = nets.timbre_encoder(batch["z_timbre"])
        structure = system.encode_structure(batch)
        if structure is None:  # phase 1: structure not learnt yet, generate from the timbre alone
            structure = system.dropped_structure(batch["z"])
        swap = torch.roll(torch.arange(n, device=timbre.device), -1)
        generator = torch.Generator().manual_seed(0)
        noise = torch.randn(batch["z"].shape, generator=generator).to(timbre.device)
        for label, t in (("reconstruction", timbre), ("transfer", timbre[swap])):
            latents = sample(nets.denoiser, noise, t, structure, self.sampling_steps, 1.0, 1.0,
                             system.config.model.midi)
            audio = self.codec.decode(system.latent_norm.denormalize(latents).float().cpu())
            for i in range(n):
                tag = f"{label}/{i}" if label == "reconstruction" else f"{label}/{i}_to_{int(swap[i])}"
                experiment.add_audio(tag, audio[i, 0].clamp(-1, 1), trainer.global_step, self.sample_rate)
        truth = self.codec.decode(self.batch["z"].float().cpu())
        for i in range(n):
            experiment.add_audio(f"true/{i}", truth[i, 0].clamp(-1, 1), trainer.global_step, self.sample_rate)
