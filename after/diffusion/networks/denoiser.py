"""Transformer denoiser of the rectified flow (UPSTREAM §4.4).

The velocity network v(x_t, t, timbre, structure). Conditioning is split from the trunk so that samplers can
reuse what does not depend on x: `structure_modulation` (per frame, the same for every Euler step) and
`global_modulation` (noise level + timbre, one vector per item). `forward_conditioned` runs the trunk over
frames that may continue cached past keys/values (streaming); `forward` is the training/offline entry point.
"""

import math
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn

from after.diffusion.networks.attention import LocalAttention, local_chunk_mask, rotary_tables


@torch.jit.interface
class DenoiserBlockInterface(nn.Module):
    """What `Denoiser.forward_conditioned` calls on each block. Scripted code calls blocks through this
    interface instead of inlining each one: TorchScript then compiles (profiles, optimises) the block's code
    once for all blocks of the same type, which cuts a model's first-call cost in nn~ (docs/EXPORT.md)."""

    def forward(self, x: torch.Tensor, structure_mod: torch.Tensor, global_mod: torch.Tensor, past: torch.Tensor,
                cos: torch.Tensor, sin: torch.Tensor,
                mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        pass


class DenoiserBlock(nn.Module):
    """AdaLN(structure) → x + attention → AdaLN(noise level + timbre) → x + MLP, on a [B, T, E] stream.
    An AdaLN is LayerNorm(x) · scale + shift with (scale, shift) from the modulations (scale starts at 1)."""

    def __init__(self, embed_dim: int, n_heads: int, mlp_ratio: int, rotary_dims: int, chunk_size: int,
                 look_back: int, dropout: float) -> None:
        super().__init__()
        self.structure_norm = nn.LayerNorm(embed_dim, elementwise_affine=False)
        self.attention_norm = nn.LayerNorm(embed_dim)
        self.attention = LocalAttention(embed_dim, n_heads, rotary_dims, chunk_size, look_back, dropout)
        self.global_norm = nn.LayerNorm(embed_dim, elementwise_affine=False)
        self.mlp_norm = nn.LayerNorm(embed_dim)
        self.mlp = nn.Sequential(
            nn.Linear(embed_dim, mlp_ratio * embed_dim),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(mlp_ratio * embed_dim, embed_dim),
        )

    def forward(self, x: torch.Tensor, structure_mod: torch.Tensor, global_mod: torch.Tensor, past: torch.Tensor,
                cos: torch.Tensor, sin: torch.Tensor,
                mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, torch.Tensor]:
        """x [B, T, E]; structure_mod [B, T, 2E]; global_mod [B, 1, 2E]; past/cos/sin/mask as in
        `LocalAttention`. Returns (x [B, T, E], unrotated keys and values [2, B, H, P + T, Dh])."""
        scale, shift = structure_mod.chunk(2, dim=-1)
        x = torch.addcmul(shift, self.structure_norm(x), scale)
        y, keys_values = self.attention(self.attention_norm(x), past, cos, sin, mask)
        x = x + y
        scale, shift = global_mod.chunk(2, dim=-1)
        x = torch.addcmul(shift, self.global_norm(x), scale)
        x = x + self.mlp(self.mlp_norm(x))
        return x, keys_values


class Denoiser(nn.Module):
    """Velocity network: x [B, C, T] latents at noise level t [B] (0 = noise, 1 = data), global timbre
    [B, zt], per-frame structure [B, zs, T] → velocity [B, C, T]."""

    def __init__(self, latent_size: int, zs: int, zt: int, embed_dim: int, n_layers: int, n_heads: int,
                 mlp_ratio: int, dropout: float, rotary_dims: int, rotary_base: float, noise_features: int,
                 chunk_size: int, look_back: int) -> None:
        super().__init__()
        self.latent_size = latent_size
        self.zs = zs
        self.zt = zt
        self.embed_dim = embed_dim
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.head_dim = embed_dim // n_heads
        self.rotary_dims = rotary_dims
        self.rotary_base = rotary_base
        self.chunk_size = chunk_size
        self.look_back = look_back
        self.full_mask_frames = 128
        half = noise_features // 2
        self.register_buffer("noise_freqs", torch.exp(-math.log(10_000.0) * torch.arange(half) / half),
                             persistent=False)
        self.input_proj = nn.Linear(latent_size, embed_dim)
        self.structure_proj = nn.Linear(zs, zs)
        self.structure_mod = nn.Linear(zs, n_layers * 2 * embed_dim)  # every block's (scale, shift) at once
        self.global_mlp = nn.Sequential(
            nn.Linear(noise_features + zt, embed_dim),
            nn.GELU(),
            nn.Linear(embed_dim, embed_dim),
            nn.GELU(),
        )
        self.global_mod = nn.Linear(embed_dim, n_layers * 2 * embed_dim)
        self.blocks = nn.ModuleList([DenoiserBlock(embed_dim, n_heads, mlp_ratio, rotary_dims, chunk_size,
                                                   look_back, dropout) for _ in range(n_layers)])
        self.output_norm = nn.LayerNorm(embed_dim)
        self.output_proj = nn.Linear(embed_dim, latent_size)
        # Modulations start at identity (scale 1, shift 0): the trunk begins as a plain pre-norm transformer.
        for layer in (self.structure_mod, self.global_mod):
            nn.init.zeros_(layer.weight)
            with torch.no_grad():
                layer.bias.view(n_layers, 2, embed_dim)[:, 0] = 1.0

    def structure_modulation(self, structure: torch.Tensor) -> torch.Tensor:
        """structure [B, zs, T] → per-block (scale, shift) [n_layers, B, T, 2E]; independent of x and t."""
        h = F.gelu(self.structure_proj(structure.transpose(1, 2)))
        mod = self.structure_mod(h)  # [B, T, n_layers * 2E]
        return mod.view(mod.size(0), mod.size(1), self.n_layers, 2 * self.embed_dim).permute(2, 0, 1, 3)

    def global_modulation(self, t: torch.Tensor, timbre: torch.Tensor) -> torch.Tensor:
        """t [B] in [0, 1], timbre [B, zt] → per-block (scale, shift) [n_layers, B, 1, 2E].

        The noise level enters as Fourier features of 100·t (max period 10 000)."""
        angles = 100.0 * t.unsqueeze(1) * self.noise_freqs.unsqueeze(0)
        features = torch.cat([angles.cos(), angles.sin(), timbre], dim=1)
        mod = self.global_mod(self.global_mlp(features))  # [B, n_layers * 2E]
        return mod.view(mod.size(0), self.n_layers, 1, 2 * self.embed_dim).transpose(0, 1)

    def empty_past(self, batch: int, x: torch.Tensor) -> torch.Tensor:
        """Keys/values of no past frames for every block: [n_layers, 2, B, H, 0, Dh]."""
        return x.new_zeros(self.n_layers, 2, batch, self.n_heads, 0, self.head_dim)

    def forward_conditioned(self, x: torch.Tensor, structure_mod: torch.Tensor, global_mod: torch.Tensor,
                            past: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor,
                            mask: Optional[torch.Tensor]) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """The trunk. x [B, C, T] (T frames following the P cached ones); structure_mod [n_layers, B, T, 2E];
        global_mod [n_layers, B, 1, 2E]; past: unrotated keys and values [n_layers, 2, B, H, P, Dh];
        cos/sin [P + T, Dh]; mask [T, P + T] or None (see `offline_mask`). Returns (velocity [B, C, T], per
        block the unrotated keys and values of the past and these frames [2, B, H, P + T, Dh])."""
        h = F.gelu(self.input_proj(x.transpose(1, 2)))  # [B, T, E]
        seen: List[torch.Tensor] = []
        for index in range(self.n_layers):
            block: DenoiserBlockInterface = self.blocks[index]
            h, keys_values = block.forward(h, structure_mod[index], global_mod[index], past[index], cos, sin, mask)
            seen.append(keys_values)
        velocity = self.output_proj(self.output_norm(h)).transpose(1, 2)
        return velocity, seen

    def rotary(self, n_positions: int, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Rotary cos/sin tables [n_positions, Dh] for this network."""
        return rotary_tables(n_positions, self.head_dim, self.rotary_dims, self.rotary_base, x.device)

    def mask(self, n_queries: int, n_past: int, x: torch.Tensor) -> torch.Tensor:
        """This network's chunked local causal mask [n_queries, n_past + n_queries]."""
        return local_chunk_mask(n_queries, n_past, self.chunk_size, self.look_back, x.device)

    def offline_mask(self, frames: int, x: torch.Tensor) -> Optional[torch.Tensor]:
        """The mask of a whole sequence without cache: explicit [T, T] up to `full_mask_frames` (training
        crops: one attention call), None beyond (the same mask applied blockwise, linear in T)."""
        if frames <= self.full_mask_frames:
            return self.mask(frames, 0, x)
        return None

    def forward(self, x: torch.Tensor, t: torch.Tensor, timbre: torch.Tensor,
                structure: torch.Tensor) -> torch.Tensor:
        """x [B, C, T], t [B], timbre [B, zt], structure [B, zs, T] → velocity [B, C, T] (training mask)."""
        frames = x.size(2)
        cos, sin = self.rotary(frames, x)
        velocity, _ = self.forward_conditioned(x, self.structure_modulation(structure),
                                               self.global_modulation(t, timbre), self.empty_past(x.size(0), x),
                                               cos, sin, self.offline_mask(frames, x))
        return velocity
