"""Adversarial classifier (UPSTREAM §4.6): predicts the timbre vector from the structure signal; the
structure encoder is trained to fool it (loss `1 - cos`), which pushes timbre out of the structure."""

from typing import List

import torch
import torch.nn.functional as F
from torch import nn


class TimbreClassifier(nn.Module):
    """structure [B, zs, T] → predicted timbre [B, zt] (strided conv stack, then average over time)."""

    def __init__(self, zs: int, zt: int, channels: List[int], strides: List[int], kernel_size: int) -> None:
        super().__init__()
        layers: List[nn.Module] = []
        width = zs
        for out_channels, stride in zip(channels, strides):
            layers += [nn.Conv1d(width, out_channels, kernel_size, stride=stride, padding=kernel_size // 2),
                       nn.BatchNorm1d(out_channels), nn.SiLU()]
            width = out_channels
        layers.append(nn.Conv1d(width, zt, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, structure: torch.Tensor) -> torch.Tensor:
        return self.net(structure).mean(dim=2)


def cosine_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean of 1 - cos(predicted, target) over the batch; predicted/target [B, zt]."""
    return (1.0 - F.cosine_similarity(predicted, target, dim=1)).mean()
