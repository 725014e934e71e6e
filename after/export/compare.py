"""Before/after cost of two exports' `forward`, fair on a busy machine:

    after bench compare BEFORE.ts AFTER.ts [--buffers 2048,8192] [--steps 1,4,10] [--calls 48]

Both models are loaded in one process on one thread and driven call by call in alternating order with the
same input, so load from other processes falls on both alike. Per (steps, buffer): warm-up calls, then
`calls` measured calls each; the CPU time of the calling thread (which leaves out time spent waiting for a
core) and the wall time, as median / mean / min / max ms per buffer. Each stream starts fresh (reset_state).
"""

import statistics
import time
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import torch

from after.errors import ModelContractError
from after.nn_tilde.host import load_ts, read_model_info

WARMUP_CALLS = 16
DEFAULT_SAMPLE_RATE = 44100


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
    (× 0.1); the models must share `forward`'s input channels and have the `nb_steps` attribute."""
    torch.set_num_threads(1)
    models = {label: load_ts(path) for label, path in paths.items()}
    for label, model in models.items():
        if not hasattr(model, "forward_params") or not hasattr(model, "set_nb_steps"):
            raise ModelContractError(f"{paths[label]}: no nn~ `forward` with an `nb_steps` attribute; give AFTER "
                                     f"exports (`after export` / `after export_midi`)")
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


def compare_exports(paths: Dict[str, str], buffers: Sequence[int], steps: Sequence[int], calls: int,
                    sample_rate: Optional[int] = None) -> Tuple[List[CompareRow], int]:
    """`compare`, and the sample rate its real-time factors use: `sample_rate`, else the first model's
    metadata, else 44100 Hz."""
    if sample_rate is None:
        first = next(iter(paths.values()))
        sample_rate = int(read_model_info(first).metadata.get("sample_rate") or DEFAULT_SAMPLE_RATE)
    return compare(paths, buffers, steps, calls), sample_rate
