"""Pure functions on the two conditions during training: CFG dropout, noise augmentation, segment
shuffling, adversarial weight ramp (UPSTREAM.md §4.2, §4.5, §4.6)."""

from dataclasses import dataclass
from typing import Optional, Sequence

import torch

from after.diffusion.networks.conditioning import dropped_like


@dataclass(frozen=True)
class DropMasks:
    """Which batch items get each condition replaced by the constant drop value: bool [B] each."""

    timbre: torch.Tensor
    structure: torch.Tensor


def draw_drop_masks(batch: int, drop_rate: float, drop_targets: Sequence[str], structure_phase: bool,
                    device: torch.device, generator: Optional[torch.Generator] = None) -> DropMasks:
    """One uniform draw u per item: u < r drops both conditions; r ≤ u < 2r drops the timbre only (when
    "timbre" is a drop target); 2r ≤ u < 3r drops the structure only (when "structure" is a target).
    Before the structure phase the structure is always dropped and only the "both" case applies."""
    u = torch.rand(batch, generator=generator).to(device)
    both = u < drop_rate
    timbre_only = (u >= drop_rate) & (u < 2 * drop_rate)
    structure_only = (u >= 2 * drop_rate) & (u < 3 * drop_rate)
    drop_timbre = both.clone()
    if structure_phase and "timbre" in drop_targets:
        drop_timbre |= timbre_only
    if not structure_phase:
        return DropMasks(drop_timbre, torch.ones_like(both))
    drop_structure = both | structure_only if "structure" in drop_targets else both
    return DropMasks(drop_timbre, drop_structure)


def apply_drop(condition: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Replace the items of `condition` ([B, ...]) selected by `mask` ([B] bool) with the drop value."""
    shape = (-1,) + (1,) * (condition.dim() - 1)
    return torch.where(mask.reshape(shape), dropped_like(condition), condition)


def add_noise(condition: torch.Tensor, std: float) -> torch.Tensor:
    """Gaussian noise augmentation of a condition (identity when `std` is 0)."""
    return condition + std * torch.randn_like(condition) if std > 0 else condition


def shuffle_segments(z: torch.Tensor, block: int, generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Cut the time axis of z [B, C, T] into blocks of `block` frames and permute them at random (one
    permutation per item) so that the timbre encoder cannot read temporal order. A tail shorter than a
    block stays in place."""
    batch, channels, frames = z.shape
    n_blocks = frames // block
    if n_blocks < 2:
        return z
    head = z[..., : n_blocks * block].reshape(batch, channels, n_blocks, block)
    order = torch.stack([torch.randperm(n_blocks, generator=generator) for _ in range(batch)]).to(z.device)
    index = order[:, None, :, None].expand(batch, channels, n_blocks, block)
    shuffled = torch.gather(head, 2, index).reshape(batch, channels, n_blocks * block)
    return torch.cat([shuffled, z[..., n_blocks * block:]], dim=-1)


def adversarial_weight(step: int, start_step: int, warmup_steps: int, weight: float) -> float:
    """Weight of the adversarial term: 0 before `start_step`, then a linear ramp to `weight` over
    `warmup_steps` steps."""
    if step < start_step:
        return 0.0
    if warmup_steps <= 0:
        return weight
    return weight * min(1.0, (step - start_step) / warmup_steps)
