"""The diffusion networks: denoiser (transformer with the chunked local causal mask), timbre encoder
(ECAPA-TDNN), causal structure encoder and the adversarial timbre classifier. All are TorchScript-able."""

from after.diffusion.networks.classifier import TimbreClassifier, cosine_loss
from after.diffusion.networks.conditioning import DROP_VALUE, dropped_like, soft_box_penalty
from after.diffusion.networks.denoiser import Denoiser
from after.diffusion.networks.structure_encoder import StructureEncoder
from after.diffusion.networks.timbre_encoder import TimbreEncoder

__all__ = ["DROP_VALUE", "Denoiser", "StructureEncoder", "TimbreClassifier", "TimbreEncoder", "cosine_loss",
           "dropped_like", "soft_box_penalty"]
