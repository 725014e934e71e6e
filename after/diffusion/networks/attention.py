"""Self-attention over latent frames with rotary positions and the chunked local causal mask.

The mask (UPSTREAM §4.4): frames are grouped in chunks of `chunk_size` counted from the first frame; a query
sees every frame of its own chunk (later ones included) and the frames at most `look_back` frames before it.
Training uses it over a whole crop; streaming uses the same function over [cached past keys ‖ current chunk],
so a stream is the offline computation cut into pieces. Rotary angles depend only on the distance between a
query and a key, so streaming rotates positions counted from the oldest cached frame (bounded numbers).
"""

from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


def local_chunk_mask(n_queries: int, n_past: int, chunk_size: int, look_back: int,
                     device: torch.device) -> torch.Tensor:
    """Boolean attention mask [n_queries, n_past + n_queries] (True = may attend).

    Queries are the last `n_queries` key positions; the `n_past` earlier keys come from a cache (the current
    queries start a new chunk, so cached keys are only visible through the look-back window).
    """
    query = torch.arange(n_queries, device=device).unsqueeze(1) + n_past  # [Tq, 1] key-space index
    key = torch.arange(n_past + n_queries, device=device).unsqueeze(0)  # [1, Tk]
    distance = query - key
    window = (distance >= 0) & (distance <= look_back)
    same_chunk = (key >= n_past) & (torch.div(key - n_past, chunk_size, rounding_mode="floor")
                                    == torch.div(query - n_past, chunk_size, rounding_mode="floor"))
    return window | same_chunk


def rotary_tables(n_positions: int, head_dim: int, rotary_dims: int, base: float,
                  device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
    """cos and sin tables [n_positions, head_dim] for positions 0..n-1 (angles computed in float64). Dims
    i and i + rotary_dims/2 (i < rotary_dims/2) rotate together; dims ≥ rotary_dims pass through (cos 1,
    sin 0)."""
    half = rotary_dims // 2
    inv_freq = base ** (-torch.arange(half, device=device, dtype=torch.float64) / max(half, 1))
    angles = torch.arange(n_positions, device=device, dtype=torch.float64).unsqueeze(1) * inv_freq.unsqueeze(0)
    angles = torch.cat([angles, angles], dim=1)
    rest = head_dim - rotary_dims
    cos = torch.cat([angles.cos(), angles.new_ones(n_positions, rest)], dim=1)
    sin = torch.cat([angles.sin(), angles.new_zeros(n_positions, rest)], dim=1)
    return cos.float(), sin.float()


def rotate_half_matrix(head_dim: int, rotary_dims: int) -> torch.Tensor:
    """[Dh, Dh] signed permutation M with (x @ M) = (−x2, x1, 0) for x = (x1, x2, rest), x1/x2 of
    rotary_dims/2 dims: one exact matmul instead of slicing and concatenating."""
    half = rotary_dims // 2
    matrix = torch.zeros(head_dim, head_dim)
    index = torch.arange(half)
    matrix[index + half, index] = -1.0
    matrix[index, index + half] = 1.0
    return matrix


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, rotate_half: torch.Tensor) -> torch.Tensor:
    """Rotate x [..., T, Dh] by the angles of cos/sin [T, Dh] (see `rotary_tables`)."""
    return torch.addcmul(x * cos, torch.matmul(x, rotate_half), sin)


class LocalAttention(nn.Module):
    """Multi-head self-attention with fused QKV (no bias), rotary positions and an explicit boolean mask.

    Without a mask (long offline sequences, no cache) the same chunked local causal mask is applied block by
    block: queries in chunk-aligned blocks of `block_frames`, each against its own look-back window, so
    memory and time grow linearly with the length instead of quadratically."""

    rotate_half: torch.Tensor  # buffers (registered in __init__), declared for the type checker

    def __init__(self, embed_dim: int, n_heads: int, rotary_dims: int, chunk_size: int, look_back: int,
                 dropout: float) -> None:
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = embed_dim // n_heads
        self.chunk_size = chunk_size
        self.look_back = look_back
        self.block_frames = chunk_size * max(1, 64 // chunk_size)
        self.dropout = dropout
        self.qkv = nn.Linear(embed_dim, 3 * embed_dim, bias=False)
        self.out = nn.Linear(embed_dim, embed_dim)
        self.register_buffer("rotate_half", rotate_half_matrix(self.head_dim, rotary_dims), persistent=False)

    def forward(self, x: torch.Tensor, past: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        """x [B, T, E]; past [2, B, H, P, Dh] unrotated cached keys and values (P may be 0);
        cos/sin [P + T, Dh]; mask [T, P + T], or None for the blockwise local mask (then P must be 0).
        Returns (output [B, T, E], unrotated keys and values [2, B, H, P + T, Dh]: past ‖ current, the
        material of the next cache)."""
        batch, frames, embed = x.shape
        qkv = self.qkv(x).view(batch, frames, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        n_past = past.size(3)
        keys_values = qkv[1:] if n_past == 0 else torch.cat([past, qkv[1:]], dim=3)  # [2, B, H, P + T, Dh]
        queries = apply_rotary(qkv[0], cos[n_past:], sin[n_past:], self.rotate_half)
        keys = apply_rotary(keys_values[0], cos, sin, self.rotate_half)
        dropout = self.dropout if self.training else 0.0
        if mask is None:
            y = self.blockwise(queries, keys, keys_values[1], dropout)
        else:
            y = F.scaled_dot_product_attention(queries, keys, keys_values[1], attn_mask=mask, dropout_p=dropout)
        y = y.transpose(1, 2).reshape(batch, frames, embed)
        return self.out(y), keys_values

    def blockwise(self, queries: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                  dropout: float) -> torch.Tensor:
        """Attention of rotated queries/keys and values [B, H, T, Dh] under the chunked local causal mask,
        one chunk-aligned block of queries at a time → [B, H, T, Dh]."""
        frames = queries.size(2)
        outputs: List[torch.Tensor] = []
        for start in range(0, frames, self.block_frames):
            end = min(start + self.block_frames, frames)
            first_key = max(0, start - self.look_back)
            mask = local_chunk_mask(end - start, start - first_key, self.chunk_size, self.look_back,
                                    queries.device)
            outputs.append(F.scaled_dot_product_attention(queries[:, :, start:end], keys[:, :, first_key:end],
                                                          values[:, :, first_key:end], attn_mask=mask,
                                                          dropout_p=dropout))
        return torch.cat(outputs, dim=2)
