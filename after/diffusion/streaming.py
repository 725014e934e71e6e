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
import torch.nn.functional as F
from torch import nn

from after.diffusion.networks.attention import local_chunk_mask
from after.diffusion.networks.denoiser import Denoiser
from after.diffusion.networks.structure_encoder import StructureEncoder
from after.diffusion.sampling import active_passes, combine_passes, guidance_weights, pass_conditions


class StreamingGenerator(nn.Module):
    """Chunked Euler sampler over a denoiser in eval mode. State: unrotated keys and values of the last
    `cached_frames` (≤ `look_back`) frames, one entry per (Euler step, guidance pass: full, partial, none):
    `cache[step * 3 + pass]` [n_layers, 2, B, H, ≥ cached_frames, Dh] whose last `cached_frames` frames are
    valid; reset by `reset_state()` and whenever the batch size or the number of steps changes.

    Entries are never written in place: a step's store replaces the entries of the passes it ran with views of
    what the denoiser returned, a pass switched on shares the entries of one that ran. So `save_state()` keeps
    the list by reference and `restore_state()` brings back the state of the last `save_state()` exactly,
    whatever a failed call had done in between, and no call copies the cache (a whole-cache copy-on-write cost
    ≈ 1 ms per call for `base` at 4 steps, ≈ 5 % of a call at buffer 2048)."""

    cache: List[torch.Tensor]
    saved_cache: List[torch.Tensor]
    fresh_passes: List[int]
    saved_fresh_passes: List[int]

    def __init__(self, denoiser: Denoiser, midi: bool) -> None:
        super().__init__()
        self.denoiser = denoiser
        self.midi = midi
        self.n_layers = denoiser.n_layers
        self.n_heads = denoiser.n_heads
        self.head_dim = denoiser.head_dim
        self.look_back = denoiser.look_back
        self.chunk_size = denoiser.chunk_size
        self.cache = []
        self.cached_frames = 0
        self.batch_size = 0
        self.nb_steps = 0
        self.fresh_passes = []  # guidance passes whose cache the last call brought up to date
        # Noise-level + timbre modulation of every step, kept while the (per-pass) timbres do not change.
        self.global_mod = torch.zeros(0)
        self.global_mod_timbres = torch.zeros(0)
        # A modulation being prepared over several calls (`prepare_timbre`): its timbres, the MLP's output and
        # the layers done so far.
        self.prepared_timbres = torch.zeros(0)
        self.prepared_hidden = torch.zeros(0)
        self.prepared_mod = torch.zeros(0)
        # The state at the last save_state().
        self.saved_cache = []
        self.saved_cached_frames = 0
        self.saved_batch_size = 0
        self.saved_nb_steps = 0
        self.saved_fresh_passes = []
        self.saved_global_mod = torch.zeros(0)
        self.saved_global_mod_timbres = torch.zeros(0)
        self.saved_prepared_timbres = torch.zeros(0)
        self.saved_prepared_hidden = torch.zeros(0)
        self.saved_prepared_mod = torch.zeros(0)

    @torch.jit.export
    def reset_state(self) -> None:
        """Forget the past: the next chunk starts a new stream."""
        self.cache = torch.jit.annotate(List[torch.Tensor], [])
        self.cached_frames = 0
        self.batch_size = 0
        self.nb_steps = 0
        self.fresh_passes = torch.jit.annotate(List[int], [])
        self.global_mod = torch.zeros(0)
        self.global_mod_timbres = torch.zeros(0)
        self.prepared_timbres = torch.zeros(0)
        self.prepared_hidden = torch.zeros(0)
        self.prepared_mod = torch.zeros(0)

    @torch.jit.export
    def save_state(self) -> None:
        """Remember the current state (references: no entry is ever written in place)."""
        self.saved_cache = list(self.cache)
        self.saved_cached_frames = self.cached_frames
        self.saved_batch_size = self.batch_size
        self.saved_nb_steps = self.nb_steps
        self.saved_fresh_passes = list(self.fresh_passes)
        self.saved_global_mod = self.global_mod
        self.saved_global_mod_timbres = self.global_mod_timbres
        self.saved_prepared_timbres = self.prepared_timbres
        self.saved_prepared_hidden = self.prepared_hidden
        self.saved_prepared_mod = self.prepared_mod

    @torch.jit.export
    def restore_state(self) -> None:
        """Return to the state of the last `save_state()`."""
        self.cache = list(self.saved_cache)
        self.cached_frames = self.saved_cached_frames
        self.batch_size = self.saved_batch_size
        self.nb_steps = self.saved_nb_steps
        self.fresh_passes = list(self.saved_fresh_passes)
        self.global_mod = self.saved_global_mod
        self.global_mod_timbres = self.saved_global_mod_timbres
        self.prepared_timbres = self.saved_prepared_timbres
        self.prepared_hidden = self.saved_prepared_hidden
        self.prepared_mod = self.saved_prepared_mod

    @torch.jit.export
    def state_is_finite(self) -> bool:
        """False when a non-finite value reached the attention cache (the caller then resets the stream)."""
        for entry in self.cache:
            if not bool(torch.isfinite(entry).all()):
                return False
        return True

    @torch.jit.export
    def cache_tensor(self) -> torch.Tensor:
        """The cache as one tensor [nb_steps, 3, n_layers, 2, B, H, look_back, Dh], valid frames right-aligned,
        the rest zeros (for tests and diagnostics; [0] before the first chunk)."""
        if len(self.cache) == 0:
            return torch.zeros(0)
        rows: List[torch.Tensor] = []
        for entry in self.cache:
            kept = min(self.look_back, entry.size(4))
            padded = entry.new_zeros([self.n_layers, 2, self.batch_size, self.n_heads, self.look_back,
                                      self.head_dim])
            padded.narrow(4, self.look_back - kept, kept).copy_(entry.narrow(4, entry.size(4) - kept, kept))
            rows.append(padded)
        stacked = torch.stack(rows)
        return stacked.view([self.nb_steps, 3] + list(stacked.shape[1:]))

    def _allocate(self, batch: int, nb_steps: int, like: torch.Tensor) -> None:
        empty = like.new_zeros([self.n_layers, 2, batch, self.n_heads, 0, self.head_dim])
        self.cache = [empty for _ in range(3 * nb_steps)]
        self.cached_frames = 0
        self.batch_size = batch
        self.nb_steps = nb_steps
        self.fresh_passes = torch.jit.annotate(List[int], [])

    def _refresh_passes(self, passes: List[int]) -> None:
        """A pass that did not run last call (a guidance knob moved) starts from the cache of one that did."""
        if self.cached_frames == 0 or len(self.fresh_passes) == 0:
            return
        source = self.fresh_passes[0]
        for index in passes:
            if index not in self.fresh_passes:
                for step in range(self.nb_steps):
                    self.cache[3 * step + index] = self.cache[3 * step + source]

    def _global_modulation(self, timbres: torch.Tensor, steps: int) -> torch.Tensor:
        """Modulations [n_layers, steps · rows, 1, 2E] of every step for timbres [rows, zt] (step-major),
        recomputed only when the timbres or the number of steps change."""
        if self.global_mod_timbres.shape != timbres.shape or self.global_mod.dim() != 4 or \
                self.global_mod.size(1) != steps * timbres.size(0) or not torch.equal(self.global_mod_timbres, timbres):
            t = torch.arange(steps, device=timbres.device, dtype=timbres.dtype) / steps
            self.global_mod = self.denoiser.global_modulation(t.repeat_interleave(timbres.size(0)),
                                                              timbres.repeat(steps, 1))
            self.global_mod_timbres = timbres.clone()
        return self.global_mod

    def _past(self, step: int, passes: List[int]) -> torch.Tensor:
        """Cached keys/values of `step` for the active passes: [n_layers, 2, P·B, H, cached, Dh] (a view when
        one pass runs)."""
        selected: List[torch.Tensor] = []
        for index in passes:
            entry = self.cache[3 * step + index]
            selected.append(entry.narrow(4, entry.size(4) - self.cached_frames, self.cached_frames))
        if len(selected) == 1:
            return selected[0]
        return torch.cat(selected, dim=2)

    def _store(self, step: int, passes: List[int], seen: List[torch.Tensor]) -> None:
        """Keep the last `look_back` frames of `seen` (per layer [2, P·B, H, cached + T, Dh]) as the entries of
        `step` for `passes` (views of one new tensor; nothing is written in place)."""
        frames = seen[0].size(3)
        kept = min(self.look_back, frames)
        recent = torch.stack(seen).narrow(4, frames - kept, kept)  # [n_layers, 2, P·B, H, kept, Dh]
        for row in range(len(passes)):
            self.cache[3 * step + passes[row]] = recent.narrow(2, row * self.batch_size, self.batch_size)

    @torch.jit.export
    def prepare_timbre(self, timbre: torch.Tensor, nb_steps: int, guidance_timbre: float, guidance_structure: float,
                       part: int, parts: int) -> None:
        """Compute part `part` (0 … parts − 1) of what the next chunks with `timbre` [B, zt] need and no frame
        changes: the timbre modulation of every step, the MLP and the first layers' share of the modulation
        layer in part 0, the next layers' in each further part (the layer's weights, ≈ 12.6 MB for `base`, are
        what this costs: spread over parts, no call reads them all). Once the last part ran, the next chunk
        with this timbre finds its modulation ready (equal to the one `run_steps` computes, up to float
        rounding); a part whose earlier parts ran for another timbre, step count or guidance starts over."""
        passes = active_passes(guidance_weights(guidance_timbre, guidance_structure, self.midi))
        timbres, _ = pass_conditions(timbre, timbre.new_zeros(timbre.size(0), 1, 0), passes, self.midi)
        rows = timbres.size(0)
        width = 2 * self.denoiser.embed_dim
        if part == 0 or self.prepared_timbres.shape != timbres.shape or self.prepared_hidden.dim() != 2 or \
                self.prepared_hidden.size(0) != nb_steps * rows or not torch.equal(self.prepared_timbres, timbres):
            t = (torch.arange(nb_steps, device=timbres.device, dtype=timbres.dtype) / nb_steps).repeat_interleave(rows)
            angles = 100.0 * t.unsqueeze(1) * self.denoiser.noise_freqs.unsqueeze(0)
            features = torch.cat([angles.cos(), angles.sin(), timbres.repeat(nb_steps, 1)], dim=1)
            self.prepared_hidden = self.denoiser.global_mlp(features)  # [steps · rows, E]
            self.prepared_timbres = timbres.clone()
            self.prepared_mod = timbres.new_zeros(0, nb_steps * rows, 1, width)
        done = self.prepared_mod.size(0)
        count = min(self.n_layers - done, (self.n_layers + parts - 1) // parts)
        if count > 0:
            layer = self.denoiser.global_mod
            mod = F.linear(self.prepared_hidden, layer.weight.narrow(0, done * width, count * width),
                           layer.bias.narrow(0, done * width, count * width))  # [steps · rows, count · 2E]
            mod = mod.view(mod.size(0), count, 1, width).transpose(0, 1)
            self.prepared_mod = torch.cat([self.prepared_mod, mod], dim=0)
        if self.prepared_mod.size(0) == self.n_layers:
            self.global_mod = self.prepared_mod
            self.global_mod_timbres = self.prepared_timbres
            self.prepared_timbres = torch.zeros(0)
            self.prepared_hidden = torch.zeros(0)
            self.prepared_mod = torch.zeros(0)

    @torch.jit.export
    def generate_chunk(self, noise: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                       guidance_timbre: float, guidance_structure: float) -> torch.Tensor:
        """noise [B, C, T] (T a multiple of the attention chunk), timbre [B, zt], structure [B, zs, T] →
        latents [B, C, T] continuing the stream; batch items are independent streams. A new batch size or
        number of steps starts a new stream (the cache of step i belongs to the noise level i / nb_steps). When
        a guidance knob change needs a pass that did not run in the previous call, that pass starts from the
        cache of one that did (an approximation for one look-back window; exact otherwise)."""
        return self.run_steps(noise, timbre, structure, nb_steps, guidance_timbre, guidance_structure, 0, nb_steps,
                              self.chunk_size)

    @torch.jit.export
    def run_steps(self, x: torch.Tensor, timbre: torch.Tensor, structure: torch.Tensor, nb_steps: int,
                  guidance_timbre: float, guidance_structure: float, start: int, stop: int,
                  chunk: int) -> torch.Tensor:
        """Euler steps `start` … `stop - 1` (of `nb_steps`) of the frames that follow the cached ones: x [B, C, T]
        is the noise when `start` is 0, else what the earlier steps returned; the frames join the past once
        `stop == nb_steps`. Splitting a chunk's steps over several calls gives the same result as one call.
        `chunk` is the attention chunk of the mask: the trained `chunk_size`, or a divisor of it for small host
        buffers (`after.export.streaming`). The same timbre, structure and knobs must be given for every part."""
        frames = x.size(2)
        if chunk < 1 or frames % chunk != 0:
            raise RuntimeError("generate_chunk: the number of frames must be a multiple of the attention chunk")
        if nb_steps < 1:
            raise RuntimeError("generate_chunk: nb_steps must be >= 1")
        if start < 0 or stop > nb_steps or start >= stop:
            raise RuntimeError("generate_chunk: steps must satisfy 0 <= start < stop <= nb_steps")
        batch = x.size(0)
        if batch != self.batch_size or nb_steps != self.nb_steps or len(self.cache) != 3 * nb_steps or \
                self.cache[0].device != x.device:
            if start > 0:
                raise RuntimeError("generate_chunk: a chunk cannot continue after its stream was reset")
            self._allocate(batch, nb_steps, x)
        weights = guidance_weights(guidance_timbre, guidance_structure, self.midi)
        passes = active_passes(weights)
        if start == 0:
            self._refresh_passes(passes)
        n_passes = len(passes)
        timbres, structures = pass_conditions(timbre, structure, passes, self.midi)
        rows = timbres.size(0)
        # What does not depend on x is computed once for all steps and passes.
        structure_mod = self.denoiser.structure_modulation(structures)
        global_mod = self._global_modulation(timbres, nb_steps)
        cos, sin = self.denoiser.rotary(self.cached_frames + frames, x)
        mask = local_chunk_mask(frames, self.cached_frames, chunk, self.look_back, x.device)
        for step in range(start, stop):
            velocities, seen = self.denoiser.forward_conditioned(
                x.repeat(n_passes, 1, 1), structure_mod, global_mod.narrow(1, step * rows, rows),
                self._past(step, passes), cos, sin, mask)
            self._store(step, passes, seen)
            x = x + combine_passes(velocities, weights, passes) / nb_steps
        if stop == nb_steps:
            self.cached_frames = min(self.look_back, self.cached_frames + frames)
            self.fresh_passes = passes
        return x


class StreamingStructureEncoder(nn.Module):
    """Stateful causal structure encoder: successive z chunks [B, C, T] → structure [B, zs, T], equal to the
    offline encoder over the concatenated chunks. State resets on `reset_state()` or a batch-size change."""

    state: List[torch.Tensor]
    saved_state: List[torch.Tensor]

    def __init__(self, encoder: StructureEncoder) -> None:
        super().__init__()
        self.encoder = encoder
        self.state = []
        self.batch_size = 0
        self.saved_state = []
        self.saved_batch_size = 0

    @torch.jit.export
    def reset_state(self) -> None:
        self.state = torch.jit.annotate(List[torch.Tensor], [])
        self.batch_size = 0

    @torch.jit.export
    def save_state(self) -> None:
        """Remember the state (references: `forward_stream` returns new tensors, it never writes in place)."""
        self.saved_state = list(self.state)
        self.saved_batch_size = self.batch_size

    @torch.jit.export
    def restore_state(self) -> None:
        """Return to the state of the last `save_state()`."""
        self.state = list(self.saved_state)
        self.batch_size = self.saved_batch_size

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.size(0) != self.batch_size:
            self.state = self.encoder.initial_state(z)
            self.batch_size = z.size(0)
        structure, self.state = self.encoder.forward_stream(z, self.state)
        return structure
