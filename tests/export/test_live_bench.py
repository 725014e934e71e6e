"""`after bench` shows what nn~ needs: the slowest calls (p99, max), the buffer period each call must fit in,
how many calls overran it, a flag on such rows, and the model latency from the metadata."""

import torch

from after.nn_tilde.module import NNModule, save_nn_model
from after.tools.bench import HEADROOM, BenchRow, bench_model, percentile

SAMPLE_RATE = 1_024_000  # a 2048 buffer lasts 2 ms: a few matrix products overrun it


class SpikyModel(NNModule):
    """Every fourth call does heavy work (like a stream that generates a whole chunk in one call in four)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.register_method("forward", 1, 1, 1, 1, test=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        if self.calls % 4 == 0:
            a = torch.ones(256, 256) / 256.0
            for _ in range(12):
                a = a @ a
            x = x + a[0, 0] * 0.0
        return x


def test_bench_reports_the_calls_that_overrun_the_buffer(tmp_path):
    path = tmp_path / "spiky.ts"
    save_nn_model(SpikyModel(), path, {"sample_rate": SAMPLE_RATE,
                                       "latency_samples_by_buffer": {"2048": 4096}})
    report = bench_model(path, buffers=[2048, 4096], repeats=40)
    rows = {row.buffer: row for row in report.rows}
    row = rows[2048]
    assert row.period_ms == 2048 / SAMPLE_RATE * 1000
    assert row.median_ms <= row.p99_ms <= row.max_ms and row.max_ms > row.period_ms
    assert 8 <= row.calls_over_period <= 40 and row.flag == "!"
    assert row.latency_ms == 4096 / SAMPLE_RATE * 1000 and rows[4096].latency_ms is None
    table = report.table()
    assert "p99 ms" in table and "max/period" in table and "over" in table
    assert "slowest call over the buffer period" in table and "forward@2048!" in table


def test_flags_and_percentile():
    row = BenchRow("forward", 2048, 4, 10.0, 9.0, 4.6, 12.0, 0.0, 0.0, period_ms=46.4)
    assert BenchRow(**{**row.__dict__, "max_ms": 30.0}).flag == ""
    assert BenchRow(**{**row.__dict__, "max_ms": HEADROOM * 46.4 + 1}).flag == "~"
    assert BenchRow(**{**row.__dict__, "max_ms": 47.0}).flag == "!"
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert percentile(list(range(101)), 0.99) == 99.0
