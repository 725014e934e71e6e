"""Worst-case cost per call of nn~ exports, several exports compared fairly on a busy machine.

    python bench/worst_call.py LABEL=MODEL.ts [LABEL=MODEL.ts ...] [--method forward] [--buffer 2048]
        [--steps 4] [--calls 100] [--rounds 3] [--out table.md]

All models are loaded in one process on one thread and driven through `after.nn_tilde.emulate_host` (the
host's calling pattern) call by call in alternating order with the same input, so that load from other
processes falls on all of them alike. Each round starts every stream fresh (`reset_state`), runs warm-up calls
past the first re-encodings of the timbre window (code that only some calls run is optimised at its own
second run), then `calls` measured calls per model. Per model: wall and CPU time of the calling thread (CPU
leaves out time spent waiting for a core) as median, p99 and max ms per call over all rounds, the calls over 80 %
of the buffer period, and the model latency at this buffer from the metadata. Prints a Markdown table and
writes it to `--out` when given; docs/EXPORT.md quotes its output.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import torch

from after.bench import HEADROOM, percentile
from after.nn_tilde import emulate_host, load_ts, read_model_info

WARMUP_CALLS = 40  # past two re-encodings of the timbre window at buffer 2048 (every 16 calls)


@dataclass
class Measured:
    label: str
    path: str
    latency_ms: Optional[float]
    wall_ms: List[float] = field(default_factory=list)
    cpu_ms: List[float] = field(default_factory=list)


def measure(models: Dict[str, str], method: str, buffer: int, steps: int, calls: int, rounds: int,
            seed: int = 0) -> List[Measured]:
    torch.set_num_threads(1)
    loaded, rows = {}, []
    for label, path in models.items():
        model = load_ts(path)
        info = read_model_info(path, model)
        sample_rate = int(info.metadata.get("sample_rate") or 44100)
        model.set_sample_rate(sample_rate)
        model.set_nb_steps(steps)
        spec = info.methods[method]
        latency = info.metadata.get("latency_samples_by_buffer", {}).get(str(buffer))
        loaded[label] = (model, spec)
        rows.append(Measured(label, str(path), None if latency is None else 1000 * latency / sample_rate))
    generator = torch.Generator().manual_seed(seed)
    channels = {spec.in_channels for _, spec in loaded.values()}
    if len(channels) != 1:
        raise SystemExit(f"{method}: the models take different numbers of input channels ({sorted(channels)})")
    host_input = torch.rand(1, channels.pop(), buffer, generator=generator) * 0.5
    order = list(range(len(rows)))
    for _ in range(rounds):
        for model, _ in loaded.values():
            model.reset_state()
        for call in range(WARMUP_CALLS + calls):
            for index in (order if call % 2 == 0 else order[::-1]):
                model, spec = loaded[rows[index].label]
                cpu, wall = time.thread_time(), time.perf_counter()
                emulate_host(model, method, host_input, spec.in_ratio, spec.out_ratio)
                cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
                if call >= WARMUP_CALLS:
                    rows[index].wall_ms.append(1000 * wall)
                    rows[index].cpu_ms.append(1000 * cpu)
    return rows


def table(rows: Sequence[Measured], method: str, buffer: int, steps: int, calls: int, rounds: int,
          sample_rate: int = 44100) -> str:
    period = 1000 * buffer / sample_rate
    lines = [f"`{method}`, buffer {buffer} ({period:.1f} ms; 80 %: {HEADROOM * period:.1f} ms), {steps} steps, "
             f"{rounds} × {calls} calls per model, calls interleaved, one thread",
             "",
             "| model | wall median | wall p99 | wall max | CPU median | CPU p99 | CPU max | wall > 80 % | latency |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        over = sum(t > HEADROOM * period for t in row.wall_ms)
        latency = "-" if row.latency_ms is None else f"{row.latency_ms:.1f} ms"
        lines.append(f"| {row.label} | {statistics.median(row.wall_ms):.1f} | {percentile(row.wall_ms, 0.99):.1f} | "
                     f"{max(row.wall_ms):.1f} | {statistics.median(row.cpu_ms):.1f} | "
                     f"{percentile(row.cpu_ms, 0.99):.1f} | {max(row.cpu_ms):.1f} | {over} of {len(row.wall_ms)} | "
                     f"{latency} |")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python bench/worst_call.py", description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="LABEL=MODEL.ts")
    parser.add_argument("--method", default="forward")
    parser.add_argument("--buffer", type=int, default=2048)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="")
    args = parser.parse_args(argv)
    models = {}
    for item in args.models:
        label, _, path = item.rpartition("=")
        models[label or path] = path
    rows = measure(models, args.method, args.buffer, args.steps, args.calls, args.rounds)
    text = table(rows, args.method, args.buffer, args.steps, args.calls, args.rounds)
    print(text)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
