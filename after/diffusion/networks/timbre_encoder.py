"""ECAPA-TDNN timbre encoder (UPSTREAM §4.2): latents [B, C, T] → one global timbre vector [B, zt].

TDNN → SE-Res2Net blocks → multi-layer feature aggregation → attentive statistics pooling with global
context → BatchNorm → linear projection. Convolutions pad by reflection ("same" length); the pooling makes
the output independent of the crop length.
"""

from typing import List

import torch
from torch import nn


@torch.jit.interface
class BlockInterface(nn.Module):
    """How the encoder calls its repeated blocks in scripted code: through this interface, not inlined, so
    TorchScript compiles one block's code for all blocks of the same scripted class (see
    `after.export.inference`)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        pass


class TDNNBlock(nn.Module):
    """Conv1d (reflect "same" padding) → ReLU → BatchNorm: [B, C_in, T] → [B, C_out, T]."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, dilation: int = 1) -> None:
        super().__init__()
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size, dilation=dilation,
                              padding=dilation * (kernel_size - 1) // 2, padding_mode="reflect")
        self.norm = nn.BatchNorm1d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.norm(torch.relu(self.conv(x)))


class Res2NetBlock(nn.Module):
    """Res2Net: split channels into `scale` groups; group i (i ≥ 1) convolves itself plus group i-1's output."""

    def __init__(self, channels: int, scale: int, kernel_size: int, dilation: int) -> None:
        super().__init__()
        self.scale = scale
        width = channels // scale
        self.convs = nn.ModuleList([TDNNBlock(width, width, kernel_size, dilation) for _ in range(scale - 1)])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        groups = x.chunk(self.scale, dim=1)
        outputs: List[torch.Tensor] = [groups[0]]
        previous = groups[0]
        for index in range(self.scale - 1):
            conv: BlockInterface = self.convs[index]
            current = groups[index + 1]
            previous = conv.forward(current if index == 0 else current + previous)
            outputs.append(previous)
        return torch.cat(outputs, dim=1)


class SqueezeExcitation(nn.Module):
    """Channel gates from the time average: [B, C, T] → [B, C, T]."""

    def __init__(self, channels: int, se_channels: int) -> None:
        super().__init__()
        self.reduce = nn.Conv1d(channels, se_channels, 1)
        self.expand = nn.Conv1d(se_channels, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.expand(torch.relu(self.reduce(x.mean(dim=2, keepdim=True)))))
        return x * gate


class SERes2NetBlock(nn.Module):
    """TDNN 1×1 → Res2Net → TDNN 1×1 → squeeze-excitation, plus a residual (1×1 conv if widths differ)."""

    def __init__(self, in_channels: int, out_channels: int, scale: int, se_channels: int, kernel_size: int,
                 dilation: int) -> None:
        super().__init__()
        self.body = nn.Sequential(
            TDNNBlock(in_channels, out_channels, 1),
            Res2NetBlock(out_channels, scale, kernel_size, dilation),
            TDNNBlock(out_channels, out_channels, 1),
            SqueezeExcitation(out_channels, se_channels),
        )
        self.residual = nn.Identity() if in_channels == out_channels else nn.Conv1d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x) + self.residual(x)


class AttentiveStatisticsPooling(nn.Module):
    """Attention-weighted mean ‖ std over time, attention conditioned on the global mean/std:
    [B, C, T] → [B, 2C]."""

    def __init__(self, channels: int, attention_channels: int) -> None:
        super().__init__()
        self.attention = nn.Sequential(
            TDNNBlock(3 * channels, attention_channels, 1),
            nn.Tanh(),
            nn.Conv1d(attention_channels, channels, 1),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        frames = x.size(2)
        mean = x.mean(dim=2, keepdim=True)
        std = (x - mean).pow(2).mean(dim=2, keepdim=True).clamp_min(1e-8).sqrt()
        context = torch.cat([x, mean.expand(-1, -1, frames), std.expand(-1, -1, frames)], dim=1)
        weights = torch.softmax(self.attention(context), dim=2)
        weighted_mean = (weights * x).sum(dim=2)
        weighted_std = (weights * (x - weighted_mean.unsqueeze(2)).pow(2)).sum(dim=2).clamp_min(1e-8).sqrt()
        return torch.cat([weighted_mean, weighted_std], dim=1)


class TimbreEncoder(nn.Module):
    """Latents z [B, C, T] → timbre vector [B, zt]. Any length T greater than the widest reflect padding
    (max dilation × (kernel_size − 1) / 2: T ≥ 4 at the defaults)."""

    def __init__(self, latent_size: int, zt: int, channels: List[int], dilations: List[int], kernel_size: int,
                 res2net_scale: int, se_channels: int, attention_channels: int) -> None:
        super().__init__()
        self.input_block = TDNNBlock(latent_size, channels[0], kernel_size)
        blocks: List[nn.Module] = []
        for index, dilation in enumerate(dilations):
            blocks.append(SERes2NetBlock(channels[index], channels[index + 1], res2net_scale, se_channels,
                                         kernel_size, dilation))
        self.blocks = nn.ModuleList(blocks)
        self.n_blocks = len(blocks)
        self.aggregation = TDNNBlock(sum(channels[1:-1]), channels[-1], 1)
        self.pooling = AttentiveStatisticsPooling(channels[-1], attention_channels)
        self.pooled_norm = nn.BatchNorm1d(2 * channels[-1])
        self.projection = nn.Linear(2 * channels[-1], zt)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        h = self.input_block(z)
        features: List[torch.Tensor] = []
        for index in range(self.n_blocks):
            block: BlockInterface = self.blocks[index]
            h = block.forward(h)
            features.append(h)
        h = self.aggregation(torch.cat(features, dim=1))
        return self.projection(self.pooled_norm(self.pooling(h)))
