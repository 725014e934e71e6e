"""Before/after cost of two exports' `forward`, fair on a busy machine:

    python -m after.export.compare BEFORE.ts AFTER.ts [--buffers 2048,8192] [--steps 1,4,10] [--calls 48]

Both models are loaded in one process on one thread and driven call by call in alternating order with the
same input, so load from other processes falls on both alike. Per (steps, buffer): warm-up calls, then
`calls` measured calls each; the CPU time of the calling thread (which leaves out time spent waiting for a
core) and the wall time, as median / mean / min / max ms per buffer. Each stream starts fresh (reset_state).
"""

import argparse
import statistics
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import torch

WARMUP_CALLS = 16


@dataclass
class CompareRow:
    """One model at one (steps, buffer): milliseconds per `forward` call."""

    model: str
    nb_steps: int
    buffer: int
    cpu_ms: List[float]
    wall_ms: List[float]

    def line(self, sample_rate: int) -> str:
        cpu, wall = self.cpu_ms, self.wall_ms
        mean = statistics.mean(cpu)
        return (f"{self.nb_steps:>5} {self.buffer:>6} {self.model:>7} | {statistics.median(cpu):8.1f} {mean:7.1f} "
                f"{min(cpu):7.1f} {max(cpu):7.1f} | {statistics.median(wall):8.1f} {statistics.mean(wall):7.1f} "
                f"{max(wall):7.1f} | {self.buffer / sample_rate * 1000 / mean:6.2f}")


HEADER = (f"{'steps':>5} {'buffer':>6} {'model':>7} | {'CPU med':>8} {'mean':>7} {'min':>7} {'max':>7} | "
          f"{'wall med':>8} {'mean':>7} {'max':>7} | RTF (CPU mean)")


def compare(paths: Dict[str, str], buffers: Sequence[int], steps: Sequence[int], calls: int) -> List[CompareRow]:
    """Drive `forward` of every model in `paths` (label → .ts) with the same noise [1, in_channels, buffer]
    (× 0.1); the models must share `forward`'s input channels."""
    torch.set_num_threads(1)
    models = {label: torch.jit.load(path).eval() for label, path in paths.items()}
    labels = list(models)
    channels = int(models[labels[0]].forward_params[0])
    rows: List[CompareRow] = []
    with torch.inference_mode():
        for nb_steps in steps:
            for buffer in buffers:
                measured = {label: CompareRow(label, nb_steps, buffer, [], []) for label in labels}
                for model in models.values():
                    model.set_nb_steps(nb_steps)
                    model.reset_state()
                for call in range(WARMUP_CALLS + calls):
                    x = torch.randn(1, channels, buffer) * 0.1
                    for label in labels if call % 2 == 0 else labels[::-1]:
                        cpu, wall = time.thread_time(), time.perf_counter()
                        models[label].forward(x)
                        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
                        if call >= WARMUP_CALLS:
                            measured[label].cpu_ms.append(1000 * cpu)
                            measured[label].wall_ms.append(1000 * wall)
                rows += measured.values()
    return rows


def main(argv: Optional[Sequence[str]] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m after.export.compare", description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--buffers", default="2048,8192")
    parser.add_argument("--steps", default="1,4,10")
    parser.add_argument("--calls", type=int, default=48)
    parser.add_argument("--sample_rate", type=int, default=44100)
    args = parser.parse_args(argv)
    rows = compare({"before": args.before, "after": args.after}, [int(b) for b in args.buffers.split(",")],
                   [int(s) for s in args.steps.split(",")], args.calls)
    print(HEADER)
    for row in rows:
        print(row.line(args.sample_rate), flush=True)


if __name__ == "__main__":
    main()
