"""Streaming generation: chunk-by-chunk Euler sampling with a per-step attention cache, and a streaming
(stateful, causal) structure encoder. Both are TorchScript-able and hold their state explicitly.

`StreamingGenerator.generate_chunk` over successive chunks computes exactly what `sampling.sample` computes
over the whole sequence (same noise, same conditions): at Euler step i a chunk's queries see the keys/values
that the previous frames had at step i, which the cache of step i holds. The cache starts empty (the offline
mask at the sequence start has no past either) and never holds more than `look_back` frames per step, layer,
guidance pass and batch item.
"""

from typing import List

import torch
from torch import nn

from after.diffusion.networks.denoiser import Denoiser
from after.diffusion.networks.structure_encoder import StructureEncoder
from after.diffusion.sampling import active_passes, combine_passes, guidance_weights, pass_conditions


class StreamingGenerator(nn.Module):
    """Chunked Euler sampler over a denoiser in eval mode. State: unrotated keys and values
    `cache` [nb_steps, 3 guidance passes (full, partial, none), n_layers, 2, B, H, look_back, Dh], right-aligned
    with `cached_frames` valid frames; reset by `reset_state()` and whenever the batch size or the number of
    steps changes."""

    fresh_passes: List[int]

    def __init__(self, denoiser: Denoiser, midi: bool) -> None:
        super().__init__()
        self.denoiser = denoiser
        self.midi = midi
        self.n_layers = denoiser.n_layers
        self.n_heads = denoiser.n_heads
        self.head_dim = denoiser.head_dim
        self.look_back = denoiser.look_back
        self.chunk_size = denoiser.chunk_size
        self.cache = torch.zeros(0)
        self.cached_frames = 0
        self.batch_size = 0
        self.nb_steps = 0
        self.fresh_passes = []  # guidance passes whose cache the last call brought up to date
        # Noise-level + timbre modulation of every step, kept while the (per-pass) timbres do not change.
        self.global_mod = torch.zeros(0)
        self.global_mod_timbres = torch.zeros(0)

    @torch.jit.export
    def reset_state(self) -> None:
        """Forget the past: the next chunk starts a new stream."""
        self.cache = torch.zeros(0)
        self.cached_frames = 0
        self.batch_size = 0
        self.nb_steps = 0
        self.fresh_passes = torch.jit.annotate(List[int], [])
        self.global_mod = torch.zeros(0)
        self.global_mod_timbres = torch.zeros(0)

    def _allocate(self, batch: int, nb_steps: int, like: torch.Tensor) -> None:
        self.cache = like.new_zeros([nb_steps, 3, self.n_layers, 2, batch, self.n_heads, self.look_back,
                                     self.head_dim])
        self.cached_frames = 0
        self.batch_size = batch
        self.nb_steps = nb_steps
        self.fresh_passes = torch.jit.annotate(List[int], [])
        self.global_mod_timbres = torch.zeros(0)

    def _refresh_passes(self, passes: List[int]) -> None:
        """A pass that did not run last call (a guidance knob moved) starts from the cache of one that did."""
        if self.cached_frames == 0 or len(self.fresh_passes) == 0:
            return
        source = self.fresh_passes[0]
        for index in passes:
            if index not in self.fresh_passes:
                self.cache[:, index].copy_(self.cache[:, source])

    def _global_modulation(self, timbres: torch.Tensor) -> torch.Tensor:
        """Modulations [n_layers, nb_steps · rows, 1, 2E] of every step for timbres [rows, zt] (step-major),
        recomputed only when the timbres change."""
        if self.global_mod_timbres.shape != timbres.shape or not torch.equal(self.global_mod_timbres, timbres):
            steps = self.nb_steps
            t = torch.arange(steps, device=timbres.device, dtype=timbres.dtype) / steps
            self.global_mod = self.denoiser.global_modulation(t.repeat_interleave(timbres.size(0)),
                                                              timbres.repeat(steps, 1))
            self.global_mod_timbres = timbres.clone()
        return self.global_mod

    def _past(self, step: int, passes: torch.Tensor) -> torch.Tensor:
        """Cached keys/values of `step` for the active passes: [n_layers, 2, P·B, H, cached, Dh]."""
        selected = self.cache[step].index_select(0, passes).narrow(5, self.look_back - self.cached_frames,
                                                                    self.cached_frames)
        return selected.permute(1, 2, 0, 3, 4, 5, 6).reshape(self.n_layers, 2, passes.size(0) * self.batch_size,
                                                             self.n_heads, self.cached_frames, self.head_dim)

    def _store(self, step: int, passes: torch.Tensor, seen: List[torch.Tensor]) -> None:
        """Keep the last `look_back` frames of `seen` (per layer [2, P·B, H, cached + T, Dh]) in the cache."""
        frames = seen[0].size(3)
        kept = min(self.look_back, frames)
        recent = torch.stack(seen).narrow(4, frames - kept, kept).reshape(
            self.n_layers, 2, passes.size(0), self.batch_size, self.n_heads, kept, self.head_dim)
        self.cache[step].narrow(5, self.look_back - kept, kept).index_copy_(
            0, passes, recent.permute(2, 0, 1, 3, 4, 5, 6))

    @torch.jit.export
    def generate_chunk(self, noise: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                       guidance_timbre: float, guidance_structure: float) -> torch.Tensor:
        """noise [B, C, T] (T a multiple of the attention chunk), timbre [B, zt], structure [B, zs, T] →
        latents [B, C, T] continuing the stream; batch items are independent streams. A new batch size or
        number of steps starts a new stream (the cache of step i belongs to the noise level i / nb_steps). When
        a guidance knob change needs a pass that did not run in the previous call, that pass starts from the
        cache of one that did (an approximation for one look-back window; exact otherwise)."""
        frames = noise.size(2)
        if frames % self.chunk_size != 0:
            raise RuntimeError("generate_chunk: the number of frames must be a multiple of the attention chunk")
        if nb_steps < 1:
            raise RuntimeError("generate_chunk: nb_steps must be >= 1")
        batch = noise.size(0)
        if batch != self.batch_size or nb_steps != self.nb_steps or self.cache.device != noise.device:
            self._allocate(batch, nb_steps, noise)
        weights = guidance_weights(guidance_timbre, guidance_structure, self.midi)
        passes = active_passes(weights)
        self._refresh_passes(passes)
        pass_index = torch.tensor(passes, dtype=torch.long, device=noise.device)
        n_passes = len(passes)
        timbres, structures = pass_conditions(timbre, structure, passes, self.midi)
        rows = timbres.size(0)
        # What does not depend on x is computed once for all steps and passes.
        structure_mod = self.denoiser.structure_modulation(structures)
        global_mod = self._global_modulation(timbres)
        cos, sin = self.denoiser.rotary(self.cached_frames + frames, noise)
        mask = self.denoiser.mask(frames, self.cached_frames, noise)
        x = noise
        for step in range(nb_steps):
            velocities, seen = self.denoiser.forward_conditioned(
                x.repeat(n_passes, 1, 1), structure_mod, global_mod.narrow(1, step * rows, rows),
                self._past(step, pass_index), cos, sin, mask)
            self._store(step, pass_index, seen)
            x = x + combine_passes(velocities, weights, passes) / nb_steps
        self.cached_frames = min(self.look_back, self.cached_frames + frames)
        self.fresh_passes = passes
        return x


class StreamingStructureEncoder(nn.Module):
    """Stateful causal structure encoder: successive z chunks [B, C, T] → structure [B, zs, T], equal to the
    offline encoder over the concatenated chunks. State resets on `reset_state()` or a batch-size change."""

    state: List[torch.Tensor]

    def __init__(self, encoder: StructureEncoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.state = []
        self.batch_size = 0

    @torch.jit.export
    def reset_state(self) -> None:
        self.state = torch.jit.annotate(List[torch.Tensor], [])
        self.batch_size = 0

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.size(0) != self.batch_size:
            self.state = self.encoder.initial_state(z)
            self.batch_size = z.size(0)
        structure, self.state = self.encoder.forward_stream(z, self.state)
        return structure
