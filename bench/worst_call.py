"""Worst-case cost per call of nn~ exports, several exports compared fairly on a busy machine.

    python bench/worst_call.py LABEL=MODEL.ts [LABEL=MODEL.ts ...] [--method forward] [--buffer 2048]
        [--steps 4] [--calls 100] [--rounds 3] [--out table.md]
    python bench/worst_call.py MODEL.ts --schedule [--buffers 2048,4096,8192] [--steps 4]

`--doc NAME` also writes the table into docs/EXPORT.md between the lines
`<!-- begin generated: NAME (python bench/worst_call.py; do not edit by hand) -->` and
`<!-- end generated: NAME -->`.

All models are loaded in one process on one thread and driven through `after.nn_tilde.host.emulate_host` (the
host's calling pattern) call by call in alternating order with the same input, so that load from other
processes falls on all of them alike. Each round starts every stream fresh (`reset_state`), runs warm-up calls
past the first re-encodings of the timbre window (code that only some calls run is optimised at its own
second run), then `calls` measured calls per model. Per model: wall and CPU time of the calling thread (CPU
leaves out time spent waiting for a core) as median, p99 and max ms per call over all rounds, the calls over 80 %
of the buffer period, and the model latency at this buffer from the metadata. Prints a Markdown table and
writes it to `--out` when given; docs/EXPORT.md quotes its output.

`--schedule` drives one of our audio exports' `forward` and reads its streaming state after every call to show
what each call did (Euler steps run, timbre work) at each buffer size, with its CPU time (one run: indicative),
over one refresh period of the timbre window: the schedule table of docs/EXPORT.md.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import torch

from after.nn_tilde.host import emulate_host, load_ts, read_model_info
from after.tools.bench import HEADROOM, percentile

WARMUP_CALLS = 40  # past two re-encodings of the timbre window at buffer 2048 (every 16 calls)
EXPORT_DOC = Path(__file__).resolve().parents[1] / "docs" / "EXPORT.md"


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
    lines = [f"`{method}`, buffer {buffer} ({period:.2f} ms; 80 %: {HEADROOM * period:.2f} ms), {steps} steps, "
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


def call_work(model, before: Dict[str, int], frames: int, chunk_frames: int, stages: int) -> str:
    """What the call that moved the export's state from `before` to now did, from that state (`forward` of
    an `after.export.streaming.StreamingExport` at `frames` latent frames per call)."""
    steps = int(model.nb_steps)
    parts: List[str] = []
    if 2 * frames < chunk_frames:  # sub-chunks of 2n frames, steps split over two calls
        if before["work_steps"] > 0:
            parts.append(f"steps {before['work_step'] + 1}-{steps} of sub-chunk")
        if model.work_steps > 0:
            parts.append(f"steps 1-{model.work_step} of next sub-chunk")
    elif before["pending"] + frames >= chunk_frames:
        parts.append(f"{(before['pending'] + frames) // chunk_frames * chunk_frames} frames × {steps} steps")
    staged = int(model.staged_next)
    if staged != before["staged_next"] and (staged > 0 or before["staged_next"] >= 0):
        done = max(before["staged_next"], 0) + 1
        parts.append(f"timbre stage {done}/{stages}" if done <= stages else
                     f"timbre prepare {done - stages}/{model.prepare_parts}" + (" (takes over)" if staged < 0 else ""))
    elif model.frames_since_timbre == 0 and before["frames_since_timbre"] != 0:
        parts.append("timbre window encoded whole")
    return ", ".join(parts) or "waits"


def schedule(path: str, buffers: Sequence[int], steps: int, first_frame: int = 15) -> str:
    """Per buffer size, what each call of a fresh `forward` stream does (see `call_work`) over one refresh period
    of the timbre window (16 frames), from the call that brings frame `first_frame`."""
    torch.set_num_threads(1)
    model = load_ts(path)
    info = read_model_info(path, model)
    ratio, chunk_frames = int(info.metadata["ratio"]), int(info.metadata["chunk_frames"])
    stages = int(model.timbre_encoder.stage_count())
    model.set_nb_steps(steps)
    refresh = int(info.metadata.get("timbre_refresh_frames", 16))
    lines = [f"{Path(path).name}, `forward`, {steps} steps, a fresh stream (call 0 brings frames 0 … n − 1)", "",
             "| buffer | call | work | CPU ms |", "|---|---|---|---|"]
    generator = torch.Generator().manual_seed(0)
    for buffer in buffers:
        model.reset_state()
        frames = buffer // ratio
        first = first_frame // frames
        with torch.inference_mode():
            for call in range(first + refresh // frames + 1):
                before = {"work_steps": int(model.work_steps), "work_step": int(model.work_step),
                          "pending": int(model.pending_structure.shape[-1]), "staged_next": int(model.staged_next),
                          "frames_since_timbre": int(model.frames_since_timbre)}
                x = torch.rand(1, 2, buffer, generator=generator) * 0.5
                cpu = time.thread_time()
                model.forward(x)
                cpu = 1000 * (time.thread_time() - cpu)
                if call >= first:
                    lines.append(f"| {buffer} | {call} | {call_work(model, before, frames, chunk_frames, stages)} | "
                                 f"{cpu:.1f} |")
    return "\n".join(lines)


def write_doc_section(name: str, body: str, doc: Path = EXPORT_DOC) -> None:
    """Replace the generated section `name` of `doc` with `body` (written to a temporary name, then renamed)."""
    begin = f"<!-- begin generated: {name} (python bench/worst_call.py; do not edit by hand) -->"
    end = f"<!-- end generated: {name} -->"
    text = doc.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.S)
    if not pattern.search(text):
        raise SystemExit(f"{doc}: no generated section '{name}' (the lines {begin} … {end}); add them first")
    tmp = doc.with_name(doc.name + ".tmp")
    tmp.write_text(pattern.sub(lambda _: f"{begin}\n{body.rstrip()}\n{end}", text, count=1), encoding="utf-8")
    tmp.replace(doc)


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python bench/worst_call.py", description=__doc__.splitlines()[0])
    parser.add_argument("models", nargs="+", help="LABEL=MODEL.ts")
    parser.add_argument("--method", default="forward")
    parser.add_argument("--buffer", type=int, default=2048)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="")
    parser.add_argument("--schedule", action="store_true", help="show what each call does (one model)")
    parser.add_argument("--buffers", default="2048,4096,8192", help="with --schedule")
    parser.add_argument("--doc", default="", help="generated section of docs/EXPORT.md to write the table into")
    args = parser.parse_args(argv)
    if args.schedule:
        text = schedule(args.models[0].rpartition("=")[2], [int(b) for b in args.buffers.split(",")], args.steps)
        print(text)
        if args.doc:
            write_doc_section(args.doc, text)
        return
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
    if args.doc:
        write_doc_section(args.doc, text)


if __name__ == "__main__":
    main()
