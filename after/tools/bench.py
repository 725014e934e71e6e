"""`after bench MODEL.ts`: how fast any nn~ model runs the way the host drives it.

Per method × buffer size (× `nb_steps` when the model has that attribute): median, mean, min, p99 and max
milliseconds per buffer through `after.nn_tilde.host.emulate_host` at batch 1, and the real-time factor (buffer
duration / median compute time; ≥ 1 is needed to play). The mean is what a stream costs over time (calls
that generate a chunk or re-encode the timbre are heavier than the others); the max is the call that must
still fit in one buffer for nn~ to play without a dropout: nn~ gives each call one buffer period on its
worker thread, so the table flags rows whose slowest call takes more than the period (`!`) or more than 80 %
of it (`~`, no headroom for a busy machine), and counts the calls over the period. The model latency at each
buffer (from the metadata's `latency_samples_by_buffer`, our exports) is printed beside it. Also: file size,
load time, the first two calls after loading (TorchScript profiles, then optimises, the code they run), the
slowest later call of that first series (code that only some calls run is optimised at its own second run, a
few calls in), and peak resident memory. `bench_model_isolated` measures in a fresh Python process so the peak
memory is that of this model alone.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import List, Optional, Sequence

import torch

from after.errors import InputError
from after.nn_tilde.host import emulate_host, load_ts, read_model_info

DEFAULT_SAMPLE_RATE = 44100
WARMUP_CALLS = 3
HEADROOM = 0.8  # a call should leave 20 % of its buffer period free


def percentile(values: Sequence[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (linear interpolation between order statistics)."""
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class BenchRow:
    """One measured configuration. Times in milliseconds per buffer of `buffer` audio samples."""

    method: str
    buffer: int
    nb_steps: Optional[int]
    median_ms: float
    min_ms: float
    real_time_factor: float
    mean_ms: float
    max_ms: float
    p99_ms: float = 0.0
    period_ms: float = 0.0  # the buffer's duration: what nn~ gives one call
    calls_over_period: int = 0
    latency_ms: Optional[float] = None  # model latency at this buffer (metadata), None when not declared

    @property
    def flag(self) -> str:
        """'!' when the slowest call exceeds the buffer period, '~' when it exceeds 80 % of it."""
        if self.period_ms and self.max_ms > self.period_ms:
            return "!"
        if self.period_ms and self.max_ms > HEADROOM * self.period_ms:
            return "~"
        return ""


@dataclass
class BenchReport:
    """Everything `after bench` prints; `to_json()` is the `--json` output."""

    path: str
    file_size_mb: float
    sample_rate: int
    threads: int
    load_s: float
    first_calls_ms: List[float]
    peak_rss_mb: float
    rows: List[BenchRow] = field(default_factory=list)
    first_series_ms: List[float] = field(default_factory=list)  # every call of the first series, in order
    skipped: List[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    def table(self) -> str:
        """Human-readable report: a header and one line per row."""
        lines = [
            f"model       {self.path} ({self.file_size_mb:.1f} MB)",
            f"setting     {self.threads} thread(s), sample rate {self.sample_rate} Hz, batch 1",
            f"load        {self.load_s:.2f} s; first two calls {', '.join(f'{t:.0f}' for t in self.first_calls_ms)} ms"
            + self._later_calls(),
            f"peak RSS    {self.peak_rss_mb:.0f} MB",
            "",
            f"{'method':<18}{'buffer':>8}{'steps':>7}{'median ms':>11}{'min ms':>9}{'RTF':>8}{'mean ms':>10}"
            f"{'p99 ms':>9}{'max ms':>9}{'period':>8}{'max/period':>11}{'over':>6}{'latency ms':>12}",
        ]
        for row in self.rows:
            steps = "-" if row.nb_steps is None else str(row.nb_steps)
            latency = "-" if row.latency_ms is None else f"{row.latency_ms:.1f}"
            share = row.max_ms / row.period_ms if row.period_ms else 0.0
            lines.append(f"{row.method:<18}{row.buffer:>8}{steps:>7}{row.median_ms:>11.2f}{row.min_ms:>9.2f}"
                         f"{row.real_time_factor:>8.2f}{row.mean_ms:>10.2f}{row.p99_ms:>9.2f}{row.max_ms:>9.2f}"
                         f"{row.period_ms:>8.1f}{share:>10.2f}{row.flag or ' ':>1}{row.calls_over_period:>6}"
                         f"{latency:>12}")
        flagged = [row for row in self.rows if row.flag]
        if flagged:
            lines.append("")
            lines.append(f"! slowest call over the buffer period (nn~ drops out), ~ over {HEADROOM:.0%} of it: "
                         + ", ".join(f"{r.method}@{r.buffer}" + (f"/{r.nb_steps}" if r.nb_steps else "")
                                     + r.flag for r in flagged))
        lines += [f"skipped: {note}" for note in self.skipped]
        return "\n".join(lines)

    def _later_calls(self) -> str:
        later = self.first_series_ms[2:]
        if not later or not self.rows:
            return ""
        slowest = max(range(len(later)), key=later.__getitem__)
        row = self.rows[0]
        return (f"; then slowest call {later[slowest]:.0f} ms (call {slowest + 3} of {row.method} at {row.buffer}, "
                f"median {row.median_ms:.0f})")


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MiB.

    Linux keeps `ru_maxrss` across `execve`, so a measuring child started from a large parent would report
    the parent's peak; `VmHWM` in /proc/self/status belongs to the process image itself. Elsewhere (macOS),
    `ru_maxrss` is in bytes and starts afresh in the child."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2.0**20


def bench_model(path: str | Path, buffers: Sequence[int] = (2048, 4096, 8192), threads: int = 1,
                steps: Sequence[int] = (1, 4, 10), methods: Optional[Sequence[str]] = None,
                repeats: int = 20) -> BenchReport:
    """Measure `path` in this process (see the module docstring)."""
    torch.set_num_threads(threads)
    path = Path(path)
    start = time.perf_counter()
    model = load_ts(path)
    info = read_model_info(path, model)
    sample_rate = int(info.metadata.get("sample_rate") or DEFAULT_SAMPLE_RATE)
    if hasattr(model, "set_sample_rate"):
        model.set_sample_rate(sample_rate)
    load_s = time.perf_counter() - start
    names = list(methods) if methods else list(info.methods)
    unknown = [n for n in names if n not in info.methods]
    if unknown:
        raise InputError(f"{path}: no nn~ method '{unknown[0]}'; available: {', '.join(info.methods)}")
    step_values: List[Optional[int]] = [None]
    if "nb_steps" in info.attributes and hasattr(model, "set_nb_steps"):
        step_values = list(steps)
    generator = torch.Generator().manual_seed(0)
    latency_by_buffer = info.metadata.get("latency_samples_by_buffer", {})
    report = BenchReport(str(path), path.stat().st_size / 2**20, sample_rate, threads, load_s, [], 0.0)
    for name in names:
        spec = info.methods[name]
        for buffer in buffers:
            if buffer % spec.in_ratio or buffer % spec.out_ratio:
                report.skipped.append(f"{name} at buffer {buffer} (ratios {spec.in_ratio}/{spec.out_ratio} "
                                      f"do not divide it; nn~ would raise the buffer)")
                continue
            for nb_steps in step_values:
                if nb_steps is not None:
                    model.set_nb_steps(int(nb_steps))
                if hasattr(model, "reset_state"):
                    model.reset_state()
                host_input = torch.rand(1, spec.in_channels, buffer, generator=generator) * 0.5
                times = []
                for call in range(WARMUP_CALLS + repeats):
                    tic = time.perf_counter()
                    emulate_host(model, name, host_input, spec.in_ratio, spec.out_ratio)
                    elapsed = (time.perf_counter() - tic) * 1000
                    if len(report.first_calls_ms) < 2:  # the first two calls after loading
                        report.first_calls_ms.append(elapsed)
                    if not report.rows:
                        report.first_series_ms.append(elapsed)
                    if call >= WARMUP_CALLS:
                        times.append(elapsed)
                median = statistics.median(times)
                period = buffer / sample_rate * 1000
                latency = latency_by_buffer.get(str(buffer))
                report.rows.append(BenchRow(name, buffer, nb_steps, median, min(times), period / median,
                                            statistics.mean(times), max(times), percentile(times, 0.99), period,
                                            sum(t > period for t in times),
                                            None if latency is None else 1000 * latency / sample_rate))
    report.peak_rss_mb = _peak_rss_mb()
    return report


def bench_model_isolated(path: str | Path, buffers: Sequence[int] = (2048, 4096, 8192), threads: int = 1,
                         steps: Sequence[int] = (1, 4, 10), methods: Optional[Sequence[str]] = None,
                         repeats: int = 20) -> BenchReport:
    """`bench_model` in a fresh Python process (clean peak-memory figure); errors come back as `InputError`."""
    request = {"path": str(path), "buffers": list(buffers), "threads": threads, "steps": list(steps),
               "methods": list(methods) if methods else None, "repeats": repeats}
    args = [sys.executable, "-m", "after.tools.bench", json.dumps(request)]
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    proc = subprocess.run(args, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        message = lines[-1] if lines else f"benchmark process exited with code {proc.returncode}"
        raise InputError(message.removeprefix("error: "))
    data = json.loads(proc.stdout)
    data["rows"] = [BenchRow(**row) for row in data["rows"]]
    return BenchReport(**data)


def _bench_child(request: str) -> None:
    """The fresh process of `bench_model_isolated`: `bench_model(**json.loads(request))`, the report as JSON on
    stdout (what reading the model left out, `AfterWarning`s, listed under `skipped`), or `error: <message>` on
    stderr and exit 1."""
    import warnings

    from after.errors import AfterError, AfterWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", AfterWarning)
            report = bench_model(**json.loads(request))
    except AfterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
    report.skipped += [str(w.message) for w in caught if issubclass(w.category, AfterWarning)]
    print(report.to_json())


if __name__ == "__main__":  # started by `bench_model_isolated` only
    _bench_child(sys.argv[1])
