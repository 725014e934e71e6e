"""Causal convolutional structure encoder (UPSTREAM §4.3): latents [B, C, T] → structure [B, zs, T].

Every convolution is causal (left padding only), so frame t of the output depends on input frames ≤ t. The
same weights run offline (`forward`, zero history) or streaming (`forward_stream`, explicit per-convolution
state = the last `kernel_size - 1` input frames, zeros at stream start), and both give the same result.
"""

from typing import List, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import nn


@torch.jit.interface
class StreamingBlockInterface(nn.Module):
    """How `StructureEncoder.forward_stream` calls its blocks in scripted code: through this interface, not
    inlined, so TorchScript compiles one block's code for all blocks of the same scripted class (see
    `after.export.inference`)."""

    def forward_stream(self, x: torch.Tensor, state: List[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        pass


class CausalConv1d(nn.Module):
    """Conv1d whose output at t sees inputs t - (k-1) … t: [B, C_in, T] → [B, C_out, T]."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int) -> None:
        super().__init__()
        self.in_channels = in_channels
        self.history = kernel_size - 1
        self.conv = nn.Conv1d(in_channels, out_channels, kernel_size)

    def initial_state(self, like: torch.Tensor) -> torch.Tensor:
        """Zero history [B, C_in, k-1] for the batch of `like` [B, ...] (what offline zero padding sees
        before the first frame)."""
        return like.new_zeros(like.size(0), self.in_channels, self.history)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv(F.pad(x, [self.history, 0]))

    def forward_stream(self, x: torch.Tensor, state: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """x [B, C_in, T] continuing `state` [B, C_in, k-1] → (y [B, C_out, T], new state)."""
        full = torch.cat([state, x], dim=2)
        return self.conv(full), full[:, :, full.size(2) - self.history:]


class CausalResidualBlock(nn.Module):
    """[BN, SiLU, causal conv, BN, SiLU, dropout, causal conv] + skip (1×1 projection if widths differ)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, dropout: float) -> None:
        super().__init__()
        self.norm1 = nn.BatchNorm1d(in_channels)
        self.conv1 = CausalConv1d(in_channels, out_channels, kernel_size)
        self.norm2 = nn.BatchNorm1d(out_channels)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = CausalConv1d(out_channels, out_channels, kernel_size)
        self.skip = nn.Identity() if in_channels == out_channels else nn.Conv1d(in_channels, out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))
        h = self.conv2(self.dropout(F.silu(self.norm2(h))))
        return h + self.skip(x)

    def initial_state(self, like: torch.Tensor) -> List[torch.Tensor]:
        return [self.conv1.initial_state(like), self.conv2.initial_state(like)]

    @torch.jit.export
    def forward_stream(self, x: torch.Tensor, state: List[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        h, state1 = self.conv1.forward_stream(F.silu(self.norm1(x)), state[0])
        h, state2 = self.conv2.forward_stream(self.dropout(F.silu(self.norm2(h))), state[1])
        return h + self.skip(x), [state1, state2]


class StructureEncoder(nn.Module):
    """Latents z [B, C, T] (with `extra_channels` F > 0: [B, C + F, T], the F frame features after the latents)
    → structure [B, zs, T], causal.

    `latent_channels` (indices; empty: all) are the latent channels it reads: with a codec whose channels
    split melody from timbre (the harmonic codec: 0 pitch, 1 loudness, 2 periodicity, then the timbre code),
    reading only melody channels gives a structure that cannot carry the source's timbre into a transfer.
    `extra_channels`: standardised audio descriptors (`model.structure_features`) read after them."""

    channel_index: torch.Tensor  # a buffer (registered in __init__), declared for the type checker

    def __init__(self, latent_size: int, zs: int, channels: List[int], kernel_size: int, dropout: float,
                 latent_channels: Sequence[int] = (), extra_channels: int = 0) -> None:
        super().__init__()
        if any(not 0 <= c < latent_size for c in latent_channels):
            raise ValueError(f"structure_encoder.latent_channels {list(latent_channels)}: the codec has "
                             f"{latent_size} latent channels (indices 0-{latent_size - 1})")
        selected = list(latent_channels) if latent_channels else list(range(latent_size))
        selected += [latent_size + i for i in range(extra_channels)]
        self.register_buffer("channel_index", torch.tensor(selected, dtype=torch.long), persistent=False)
        self.input_channels = len(selected)
        widths = [self.input_channels] + list(channels) + [zs]
        self.blocks = nn.ModuleList([CausalResidualBlock(widths[i], widths[i + 1], kernel_size, dropout)
                                     for i in range(len(widths) - 1)]
                                    + [CausalResidualBlock(zs, zs, kernel_size, dropout)])
        self.n_blocks = len(self.blocks)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        z = z.index_select(1, self.channel_index)
        for block in self.blocks:
            z = block(z)
        return z

    def initial_state(self, z: torch.Tensor) -> List[torch.Tensor]:
        """Zero streaming state for a batch like z [B, C, T]: two [B, C_i, k-1] tensors per block."""
        state: List[torch.Tensor] = []
        for block in self.blocks:
            state.extend(block.initial_state(z))
        return state

    def forward_stream(self, z: torch.Tensor, state: List[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """z [B, C, T] continuing `state` (from `initial_state` or a previous call) → (structure, new state)."""
        new_state: List[torch.Tensor] = []
        z = z.index_select(1, self.channel_index)
        for index in range(self.n_blocks):
            block: StreamingBlockInterface = self.blocks[index]
            z, block_state = block.forward_stream(z, state[2 * index:2 * index + 2])
            new_state.extend(block_state)
        return z, new_state
