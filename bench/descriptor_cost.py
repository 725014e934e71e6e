"""Cost of the audio descriptors (docs/DATA.md): per dataset chunk, and per call of the export's live stage.

    python bench/descriptor_cost.py

One CPU thread. Per chunk: `compute_descriptors` (all five, float64) on one 524288-sample chunk at 44.1 kHz,
at ratio 2048 and 256, as `prepare_dataset --descriptors` runs it in its workers. Per call: the scripted
`DescriptorStream` (loudness and centroid, float32) of an export reading `model.structure_features`, at host
buffers 2048 and 8192, mean of 200 calls after 5 warm-up calls. Noisy on a shared machine: compare rows of one run.
"""

from __future__ import annotations

import time

import click
import numpy as np
import torch

SAMPLE_RATE = 44100
CHUNK = 524288
LIVE_FEATURES = ("loudness", "centroid")


def mean_seconds(call, repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        call()
    start = time.perf_counter()
    for _ in range(repeats):
        call()
    return (time.perf_counter() - start) / repeats


@click.command()
def main() -> None:
    from after.data.descriptors import DESCRIPTORS, compute_descriptors
    from after.export.descriptor_features import DescriptorStream

    torch.set_num_threads(1)
    chunk = np.random.default_rng(0).uniform(-0.5, 0.5, CHUNK).astype(np.float32)
    for ratio in (2048, 256):
        seconds = mean_seconds(lambda hop=ratio: compute_descriptors(chunk, SAMPLE_RATE, hop, DESCRIPTORS), 5)
        click.echo(f"dataset chunk ({CHUNK} samples, ratio {ratio}, five descriptors): {seconds:.3f} s")
    for ratio in (2048, 256):
        stream = torch.jit.script(DescriptorStream(LIVE_FEATURES, SAMPLE_RATE, ratio))
        for buffer in (2048, 8192):
            audio = 0.1 * torch.randn(1, 1, buffer)
            with torch.inference_mode():
                seconds = mean_seconds(lambda run=stream, x=audio: run(x), 200, warmup=5)
            click.echo(f"live stage (ratio {ratio}, buffer {buffer}, {' + '.join(LIVE_FEATURES)}): "
                       f"{seconds * 1e3:.2f} ms per call")


if __name__ == "__main__":
    main()
