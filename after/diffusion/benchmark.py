"""Cost of streaming generation: ms per `StreamingGenerator.generate_chunk` on one thread.

    after bench diffusion --config base --config base+tiny --steps 1,4 --guidance 1,1 --guidance 2,2

Random weights (cost does not depend on them); the generator is scripted as an export would be. The
configurations are timed round-robin, so load from other processes spreads over all of them; medians of the
wall time and of the thread's CPU time (which excludes time spent waiting for a core on a busy machine) are
reported.
"""

from __future__ import annotations

import statistics
import time
from typing import Sequence

import torch

from after.config import load_config
from after.diffusion.builders import build_denoiser
from after.diffusion.config import DiffusionConfig
from after.diffusion.streaming import StreamingGenerator
from after.errors import InputError


def scripted_generator(presets: Sequence[str], latent_size: int) -> torch.jit.ScriptModule:
    model_cfg = load_config(DiffusionConfig, presets).model
    denoiser = build_denoiser(model_cfg, latent_size).eval()
    with torch.no_grad():
        for parameter in denoiser.parameters():
            parameter.normal_(0.0, 0.02)
    return torch.jit.script(StreamingGenerator(denoiser, model_cfg.midi))


def time_chunks(presets_list: Sequence[Sequence[str]], steps: Sequence[int], guidance: Sequence[tuple[float, float]],
                latent_size: int = 64, frames: int = 4, batch: int = 1,
                rounds: int = 30) -> dict[tuple, tuple[float, float]]:
    """Median (wall ms, CPU ms) per generate_chunk for every (presets, steps, guidance) combination."""
    torch.set_num_threads(1)
    cases = []
    for presets in presets_list:
        generator = scripted_generator(presets, latent_size)
        if frames % generator.chunk_size:
            raise InputError(f"--frames {frames}: not a multiple of the attention chunk ({generator.chunk_size} "
                             f"frames) of {'+'.join(presets)}; give a multiple of it")
        zs, zt = generator.denoiser.zs, generator.denoiser.zt
        for n_steps in steps:
            for knobs in guidance:
                cases.append(("+".join(presets), n_steps, knobs, generator, zs, zt))
    timings: dict[tuple, list[tuple[float, float]]] = {case[:3]: [] for case in cases}
    with torch.inference_mode():
        for round_index in range(rounds + 5):
            for name, n_steps, knobs, generator, zs, zt in cases:
                generator.reset_state()  # each round: a short stream of 4 chunks, the last one timed
                for _ in range(4):
                    noise, timbre = torch.randn(batch, latent_size, frames), torch.zeros(batch, zt)
                    structure = torch.randn(batch, zs, frames)
                    wall, cpu = time.perf_counter(), time.thread_time()
                    generator.generate_chunk(noise, timbre, structure, n_steps, knobs[0], knobs[1])
                    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
                if round_index >= 5:  # warm-up rounds let the TorchScript executor settle
                    timings[(name, n_steps, knobs)].append((1000.0 * wall, 1000.0 * cpu))
    return {key: (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))
            for key, values in timings.items()}
