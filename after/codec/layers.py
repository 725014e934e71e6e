"""Causal building blocks of the codec networks ([B, C, T] layout, used in training and offline export).

Every layer computes a causal function of its input, the past before the start being zeros, so the networks
can run chunk by chunk: `after.codec.streaming` rebuilds each layer in a stateful, channels-last form for that.

Non-causal behaviour is obtained without look-ahead inside a layer: a residual unit delays its skip path by
`lookahead` samples, so its convolution sees that many samples "ahead" of the skip. The whole network is then a
causal system whose total delay is known; offline callers compensate it (see `after.codec.model`).
"""

from typing import List

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils import parametrizations, parametrize


class CausalConv1d(nn.Module):
    """Conv1d that only looks at the past: [B, C_in, T] → [B, C_out, T / stride] (T a multiple of stride).

    Output frame t covers inputs up to t * stride + stride - 1 (the end of its own block).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 dilation: int = 1, weight_norm: bool = True) -> None:
        super().__init__()
        conv = nn.Conv1d(in_channels, out_channels, kernel_size, stride=stride, dilation=dilation)
        self.conv = parametrizations.weight_norm(conv) if weight_norm else conv
        self.history = (kernel_size - 1) * dilation + 1 - stride
        if self.history < 0:
            raise ValueError(f"kernel_size {kernel_size} is smaller than stride {stride}")
        self.stride = stride
        self.dilation = dilation

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(x, (self.history, 0)))


class Delay(nn.Module):
    """Pure delay by `samples`: [B, C, T] → [B, C, T], y[t] = x[t - samples] (zeros before the start)."""

    def __init__(self, channels: int, samples: int) -> None:
        super().__init__()
        self.channels = channels
        self.samples = samples

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.samples == 0:
            return x
        return F.pad(x, (self.samples, 0))[:, :, :x.shape[-1]]


class Snake(nn.Module):
    """Snake activation x + sin²(αx)/α with a learnt α per channel (Ziyin et al. 2020). [B, C, T] → same."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(1, channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + torch.sin(self.alpha * x).pow(2) / (self.alpha + 1e-9)


class ResidualUnit(nn.Module):
    """x + conv1x1(snake(conv_k,d(snake(x)))), the skip delayed by `lookahead` samples when non-causal."""

    def __init__(self, channels: int, kernel_size: int, dilation: int, causal: bool) -> None:
        super().__init__()
        self.lookahead = 0 if causal else (kernel_size - 1) * dilation // 2
        self.act1 = Snake(channels)
        self.conv1 = CausalConv1d(channels, channels, kernel_size, dilation=dilation)
        self.act2 = Snake(channels)
        self.conv2 = CausalConv1d(channels, channels, 1)
        self.skip = Delay(channels, self.lookahead)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.skip(x) + self.conv2(self.act2(self.conv1(self.act1(x))))


class ResidualStack(nn.Module):
    """Residual units in sequence (one per dilation). [B, C, T] → [B, C, T]."""

    def __init__(self, channels: int, kernel_size: int, dilations: List[int], causal: bool) -> None:
        super().__init__()
        units = [ResidualUnit(channels, kernel_size, d, causal) for d in dilations]
        self.units = nn.ModuleList(units)
        self.lookahead = sum(unit.lookahead for unit in units)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for unit in self.units:
            x = unit(x)
        return x


class Upsample(nn.Module):
    """Causal sub-pixel upsampling: a causal conv to `stride` × C_out channels, interleaved in time.

    [B, C_in, T] → [B, C_out, T * stride]; output block t depends on input frames ≤ t. (No interpolation op:
    it would not load in the libtorch 2.5.1 of nn~.)
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int, kernel_size: int) -> None:
        super().__init__()
        self.conv = CausalConv1d(in_channels, out_channels * stride, kernel_size)
        self.out_channels = out_channels
        self.stride = stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, _, frames = x.shape
        y = self.conv(x).reshape(batch, self.out_channels, self.stride, frames)  # [B, C_out, s, T]
        return y.transpose(2, 3).reshape(batch, self.out_channels, frames * self.stride)


def remove_weight_norm(module: nn.Module) -> None:
    """Fold weight-norm parametrisations into plain weights (needed before TorchScript export)."""
    for layer in list(module.modules()):
        if parametrize.is_parametrized(layer, "weight"):
            parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
