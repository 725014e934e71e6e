"""Soak: 10 000 host buffers through an audio export's `forward` (≈ 7.7 min of 44.1 kHz audio at buffer 2048):
no NaN/inf, and memory stays flat (no state grows with time)."""

from pathlib import Path

import pytest
import torch

from export_models import make_export, one_thread  # noqa: F401 (one_thread: fixture)

N_BUFFERS = 10_000
BUFFER = 2048
WARM_UP = 1_000
RSS_GROWTH_LIMIT = 16 * 2**20


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read the memory in use")
def test_ten_thousand_buffers_through_forward(tmp_path):
    smallest_timbre_encoder = {"channels": [16, 16, 32], "dilations": [2], "res2net_scale": 4, "se_channels": 4,
                               "attention_channels": 4}
    result = make_export(tmp_path, "audio", ratio=2048, timbre_encoder=smallest_timbre_encoder)
    model = torch.jit.load(str(result.path))
    assert model.set_nb_steps(1) == 0
    assert model.set_guidance_timbre(1.5) == 0  # two guidance passes
    # 64 buffers of a tone sweep (structure) and noise (timbre), played in a loop.
    t = torch.arange(64 * BUFFER) / 16000.0
    structure = 0.5 * torch.sin(2 * torch.pi * (220 + 50 * t) * t)
    timbre = 0.3 * torch.randn(64 * BUFFER, generator=torch.Generator().manual_seed(0))
    buffers = torch.stack([structure, timbre]).reshape(2, 64, BUFFER).permute(1, 0, 2)[:, None]  # [64, 1, 2, B]
    rss_after_warm_up = 0
    with torch.inference_mode():
        for index in range(N_BUFFERS):
            y = model.forward(buffers[index % 64])
            assert y.shape == (1, 1, BUFFER)
            assert torch.isfinite(y).all(), f"non-finite output at buffer {index}"
            if index == WARM_UP:
                rss_after_warm_up = rss_bytes()
    growth = rss_bytes() - rss_after_warm_up
    assert growth < RSS_GROWTH_LIMIT, f"memory grew by {growth / 2**20:.1f} MiB over {N_BUFFERS - WARM_UP} buffers"
    assert model.timbre_history.shape[-1] == result.metadata["timbre_frames"]
