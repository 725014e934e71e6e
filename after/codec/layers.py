"""Streaming building blocks with explicit state.

Every layer computes a causal function of its input. Offline (the default, and always during training) the
past is zero padding; with `streaming = True` (set per instance by `set_streaming`, never process-wide) the
layer keeps the tail of the previous call in `cache`, so feeding a signal in chunks gives exactly the output
of feeding it whole. The cache is per batch item and is re-initialised to zeros when the batch size changes
or after `reset_state()`.

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
        self.in_channels = in_channels
        self.kernel_size = kernel_size
        self.span = (kernel_size - 1) * dilation + 1
        self.stride = stride
        self.dilation = dilation
        self.streaming = False
        self.register_buffer("cache", torch.zeros(0, in_channels, self.history), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.streaming:
            return self.conv(F.pad(x, (self.history, 0)))
        if self.history > 0:
            if self.cache.shape[0] != x.shape[0]:
                self.cache = torch.zeros(x.shape[0], self.in_channels, self.history, dtype=x.dtype)
            x = torch.cat([self.cache, x], -1)
            self.cache = x[:, :, x.shape[-1] - self.history:]
        return self._conv_as_matmul(x)

    def _conv_as_matmul(self, x: torch.Tensor) -> torch.Tensor:
        """The same convolution as one GEMM: on the short chunks of streaming, ATen's conv1d falls back to
        slow paths (dilated, batch 1, one thread) that cost several times more than this."""
        weight, bias = self.conv.weight, self.conv.bias
        assert bias is not None
        if self.kernel_size > 1:
            cols = x.unfold(2, self.span, self.stride)  # [B, C_in, T_out, span]
            if self.dilation > 1:
                cols = cols[:, :, :, ::self.dilation]
            x = cols.permute(0, 1, 3, 2).reshape(x.shape[0], -1, cols.shape[2])  # [B, C_in * k, T_out]
        elif self.stride > 1:
            x = x[:, :, self.stride - 1::self.stride]
        return torch.matmul(weight.reshape(weight.shape[0], -1), x) + bias.unsqueeze(-1)

    @torch.jit.export
    def reset_state(self) -> None:
        self.cache = torch.zeros(0, self.in_channels, self.history)


class Delay(nn.Module):
    """Pure delay by `samples`: [B, C, T] → [B, C, T], y[t] = x[t - samples] (zeros before the start)."""

    def __init__(self, channels: int, samples: int) -> None:
        super().__init__()
        self.channels = channels
        self.samples = samples
        self.streaming = False
        self.register_buffer("cache", torch.zeros(0, channels, samples), persistent=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.samples == 0:
            return x
        length = x.shape[-1]
        if self.streaming:
            if self.cache.shape[0] != x.shape[0]:
                self.cache = torch.zeros(x.shape[0], self.channels, self.samples, dtype=x.dtype)
            full = torch.cat([self.cache, x], -1)
            self.cache = full[:, :, length:]
        else:
            full = F.pad(x, (self.samples, 0))
        return full[:, :, :length]

    @torch.jit.export
    def reset_state(self) -> None:
        self.cache = torch.zeros(0, self.channels, self.samples)


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

    @torch.jit.export
    def reset_state(self) -> None:
        self.conv1.reset_state()
        self.skip.reset_state()


class ResidualStack(nn.Module):
    """Residual units in sequence (one per dilation). [B, C, T] → [B, C, T]."""

    def __init__(self, channels: int, kernel_size: int, dilations: List[int], causal: bool) -> None:
        super().__init__()
        self.units = nn.ModuleList([ResidualUnit(channels, kernel_size, d, causal) for d in dilations])
        self.lookahead = sum(unit.lookahead for unit in self.units)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for unit in self.units:
            x = unit(x)
        return x

    @torch.jit.export
    def reset_state(self) -> None:
        for unit in self.units:
            unit.reset_state()


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

    @torch.jit.export
    def reset_state(self) -> None:
        self.conv.reset_state()


def set_streaming(module: nn.Module, streaming: bool) -> None:
    """Switch every stateful layer inside `module` (this instance only) to streaming or offline mode."""
    for layer in module.modules():
        if hasattr(layer, "streaming"):
            layer.streaming = streaming
            if hasattr(layer, "reset_state"):
                layer.reset_state()


def remove_weight_norm(module: nn.Module) -> None:
    """Fold weight-norm parametrisations into plain weights (needed before TorchScript export)."""
    for layer in list(module.modules()):
        if parametrize.is_parametrized(layer, "weight"):
            parametrize.remove_parametrizations(layer, "weight", leave_parametrized=True)
