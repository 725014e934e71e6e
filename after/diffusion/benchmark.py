"""Cost of streaming generation: ms per `StreamingGenerator.generate_chunk` on one thread.

    python -m after.diffusion.benchmark --config base --config tiny --steps 1 4 --guidance 1 1 --guidance 2 2

Random weights (cost does not depend on them); the generator is scripted as an export would be. The
configurations are timed round-robin, so load from other processes spreads over all of them; medians of the
wall time and of the thread's CPU time (which excludes time spent waiting for a core on a busy machine) are
reported.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from after.config import load_config
from after.diffusion.builders import build_denoiser
from after.diffusion.config import DiffusionConfig
from after.diffusion.streaming import StreamingGenerator


def scripted_generator(presets: list[str], latent_size: int) -> torch.jit.ScriptModule:
    model_cfg = load_config(DiffusionConfig, presets).model
    denoiser = build_denoiser(model_cfg, latent_size).eval()
    with torch.no_grad():
        for parameter in denoiser.parameters():
            parameter.normal_(0.0, 0.02)
    return torch.jit.script(StreamingGenerator(denoiser, model_cfg.midi))


def time_chunks(presets_list: list[list[str]], steps: list[int], guidance: list[tuple[float, float]],
                latent_size: int = 64, frames: int = 4, batch: int = 1,
                rounds: int = 30) -> dict[tuple, tuple[float, float]]:
    """Median (wall ms, CPU ms) per generate_chunk for every (presets, steps, guidance) combination."""
    torch.set_num_threads(1)
    cases = []
    for presets in presets_list:
        generator = scripted_generator(presets, latent_size)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", action="append", help="preset list, '+'-joined (e.g. base+tiny)")
    parser.add_argument("--steps", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--guidance", type=float, nargs=2, action="append", metavar=("TIMBRE", "STRUCTURE"))
    parser.add_argument("--frames", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    presets_list = [c.split("+") for c in (args.config or ["base", "base+tiny"])]
    guidance = [tuple(g) for g in (args.guidance or [(1.0, 1.0), (2.0, 2.0)])]
    results = time_chunks(presets_list, args.steps, guidance, frames=args.frames, rounds=args.rounds)
    print(f"ms per generate_chunk of {args.frames} frames, batch 1, one thread (median wall | median CPU)")
    for (name, n_steps, knobs), (wall, cpu) in results.items():
        print(f"{name:10s} steps {n_steps:2d} guidance {knobs[0]:g}/{knobs[1]:g}: wall {wall:7.2f} | CPU {cpu:7.2f}"
              f"  (CPU per step {cpu / n_steps:.2f})")


if __name__ == "__main__":
    main()
