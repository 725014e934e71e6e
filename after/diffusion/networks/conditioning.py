"""Condition helpers shared by training, sampling and streaming: the dropped-condition value and the
soft-box regulariser (UPSTREAM §4.2, §4.5)."""

import torch

DROP_VALUE = -4.0  # a dropped condition (classifier-free guidance) is a constant tensor of this value


def dropped_like(condition: torch.Tensor) -> torch.Tensor:
    """A dropped condition (every value DROP_VALUE) with the shape, dtype and device of `condition`."""
    return torch.full_like(condition, -4.0)  # a literal: scripted functions cannot read module globals


def soft_box_penalty(condition: torch.Tensor) -> torch.Tensor:
    """mean(relu(|c| - 1)): zero inside the box [-1, 1], linear outside; a scalar, any shape of `condition`."""
    return torch.relu(condition.abs() - 1.0).mean()
