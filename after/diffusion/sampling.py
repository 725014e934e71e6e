"""Euler sampling of the rectified flow with two-knob classifier-free guidance (UPSTREAM §5.1).

Time runs from t = 0 (noise) to t = 1 (data); step i evaluates the velocity at t_i = i / n and moves
x ← x + v · (1 / n). Guidance mixes up to three passes of the denoiser:

    audio: full (timbre + structure), partial = structure only, none
    MIDI:  full (timbre + piano roll), partial = timbre only,    none
    audio: g = (g_s + g_t) / 2, k = g_t / max(g_s, 0.1)     MIDI: g = (g_s + g_t) / 2, k = g_s / max(g_t, 0.1)
    v = v_none + g · (v_partial + k · (v_full − v_partial) − v_none)
      = g·k · v_full + g·(1 − k) · v_partial + (1 − g) · v_none

Only the passes whose weight is non-zero run, batched together: both knobs at 1 → one pass (v_full). The
functions here are TorchScript-able and shared with `after.diffusion.streaming`.
"""

from typing import Callable, List, Optional, Sequence, Tuple, Union

import torch

from after.diffusion.networks.conditioning import dropped_like
from after.diffusion.networks.denoiser import Denoiser

# Pass indices: 0 = full, 1 = partial, 2 = none (literals in the code: TorchScript cannot read globals).


def guidance_weights(guidance_timbre: float, guidance_structure: float, midi: bool) -> List[float]:
    """Weights [full, partial, none] of the three passes; they sum to 1 (1, 0, 0 at knobs 1/1)."""
    g = 0.5 * (guidance_structure + guidance_timbre)
    if midi:
        k = guidance_structure / max(guidance_timbre, 0.1)
    else:
        k = guidance_timbre / max(guidance_structure, 0.1)
    return [g * k, g * (1.0 - k), 1.0 - g]


def active_passes(weights: List[float]) -> List[int]:
    """Indices of the passes whose weight is not zero (at least one: the weights sum to 1)."""
    passes: List[int] = []
    for index in range(len(weights)):
        if weights[index] != 0.0:
            passes.append(index)
    return passes


def pass_conditions(timbre: torch.Tensor, structure: torch.Tensor, passes: List[int],
                    midi: bool) -> Tuple[torch.Tensor, torch.Tensor]:
    """Batch the conditions of `passes`: timbre [B, zt], structure [B, zs, T] →
    ([P·B, zt], [P·B, zs, T]), pass-major (rows p·B … p·B + B − 1 belong to passes[p])."""
    timbres: List[torch.Tensor] = []
    structures: List[torch.Tensor] = []
    for index in passes:
        keep_timbre = index == 0 or (index == 1 and midi)
        keep_structure = index == 0 or (index == 1 and not midi)
        timbres.append(timbre if keep_timbre else dropped_like(timbre))
        structures.append(structure if keep_structure else dropped_like(structure))
    return torch.cat(timbres, dim=0), torch.cat(structures, dim=0)


def combine_passes(velocities: torch.Tensor, weights: List[float], passes: List[int]) -> torch.Tensor:
    """velocities [P·B, C, T] of `passes` (pass-major) → guided velocity [B, C, T]."""
    per_pass = velocities.view(len(passes), -1, velocities.size(1), velocities.size(2))
    guided = per_pass[0] * weights[passes[0]]
    for p in range(1, len(passes)):
        guided = guided + per_pass[p] * weights[passes[p]]
    return guided


def guided_velocity(denoiser: Denoiser, x: torch.Tensor, t: torch.Tensor, timbre: torch.Tensor,
                    structure: torch.Tensor, guidance_timbre: float, guidance_structure: float,
                    midi: bool) -> torch.Tensor:
    """Guided velocity [B, C, T] at x [B, C, T], t [B]; one batched denoiser call over the needed passes."""
    weights = guidance_weights(guidance_timbre, guidance_structure, midi)
    passes = active_passes(weights)
    timbres, structures = pass_conditions(timbre, structure, passes, midi)
    n = len(passes)
    velocities = denoiser(x.repeat(n, 1, 1), t.repeat(n), timbres, structures)
    return combine_passes(velocities, weights, passes)


def initial_noise(shape: Sequence[int], generator: Optional[torch.Generator] = None,
                  seed: Optional[int] = None) -> torch.Tensor:
    """Standard Gaussian noise of `shape`, from `generator`, or from a fresh generator seeded with `seed`."""
    if generator is None and seed is not None:
        generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator)


def sample(denoiser: Denoiser, noise: Union[torch.Tensor, Sequence[int]], timbre: torch.Tensor,
           structure: torch.Tensor, nb_steps: int, guidance_timbre: float = 1.0, guidance_structure: float = 1.0,
           midi: bool = False, generator: Optional[torch.Generator] = None,
           callback: Optional[Callable[[int], None]] = None) -> torch.Tensor:
    """Offline Euler sampling over a whole sequence of any length (training mask, no cache).

    noise: starting point x_0 [B, C, T], or its shape (then drawn from `generator`); timbre [B, zt];
    structure [B, zs, T] (audio: structure-encoder output; MIDI: piano roll). Returns latents [B, C, T].
    The structure modulation, which does not change across steps, is computed once. `callback(step)` runs
    after each step (e.g. a progress bar). Gradients flow if enabled: wrap inference in `torch.no_grad()`."""
    if nb_steps < 1:
        raise ValueError(f"nb_steps must be ≥ 1, got {nb_steps}")
    x = noise.clone() if isinstance(noise, torch.Tensor) else initial_noise(noise, generator)
    x = x.to(structure.device)
    weights = guidance_weights(guidance_timbre, guidance_structure, midi)
    passes = active_passes(weights)
    timbres, structures = pass_conditions(timbre, structure, passes, midi)
    n_passes, frames = len(passes), x.size(2)
    structure_mod = denoiser.structure_modulation(structures)
    cos, sin = denoiser.rotary(frames, x)
    mask = denoiser.offline_mask(frames, x)
    past = denoiser.empty_past(n_passes * x.size(0), x)
    for step in range(nb_steps):
        t = torch.full((timbres.size(0),), step / nb_steps, device=x.device)
        velocities, _ = denoiser.forward_conditioned(x.repeat(n_passes, 1, 1), structure_mod,
                                                     denoiser.global_modulation(t, timbres), past, cos, sin, mask)
        x = x + combine_passes(velocities, weights, passes) / nb_steps
        if callback is not None:
            callback(step)
    return x
