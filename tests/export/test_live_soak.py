"""Soak under abuse: 10 000 host buffers through an audio export, cycling through normal audio, silence, NaN
and inf bursts, huge values, buffer-size and batch-size changes (mc.nn~ re-configured), and attribute changes
(applied and refused) every few buffers. No exception escapes, every output is finite, memory stays flat."""

from pathlib import Path

import pytest
import torch

from after.nn_tilde.host import emulate_host, load_ts
from tests.helpers.export_models import one_thread  # noqa: F401 (fixture)
from tests.helpers.live_models import make_live_export

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]
N_BUFFERS = 10_000
BLOCK = 40  # buffers per abuse pattern
WARM_UP = 1_000
RSS_GROWTH_LIMIT = 16 * 2**20


def rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def abused_buffer(index: int, generator: torch.Generator) -> torch.Tensor:
    """Host buffer number `index` [batch, 2, buffer]: the pattern changes every BLOCK buffers."""
    pattern = (index // BLOCK) % 8
    buffer = {5: 4096, 6: 8192}.get(pattern, 2048)
    batch = 2 if pattern == 7 else 1
    x = 0.3 * torch.randn(batch, 2, buffer, generator=generator)
    if pattern == 1:
        x.zero_()  # silence
    elif pattern == 2 and index % 2:
        x[..., 100:900] = float("nan")  # NaN bursts in every other buffer
    elif pattern == 3 and index % 3 == 0:
        x[:, 1] = float("inf") if index % 2 else float("-inf")
    elif pattern == 4 and index % 5 == 0:
        x *= 1e35
    return x


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read the memory in use")
def test_ten_thousand_abusive_buffers(tmp_path):
    result = make_live_export(tmp_path, "audio")
    model = load_ts(result.path)
    assert model.set_sample_rate(16000) == 0
    generator = torch.Generator().manual_seed(0)
    rss_after_warm_up = 0
    for index in range(N_BUFFERS):
        if index % 23 == 0:  # attribute messages between buffers, some refused
            assert model.set_nb_steps(1 + index % 3) == 0
            assert model.set_guidance_timbre(float(index % 4)) == 0
            assert model.set_guidance_structure(float("nan")) == -1 and model.set_nb_steps(17) == -1
        x = abused_buffer(index, generator)
        y = emulate_host(model, "forward", x, 1, 1)
        assert y.shape == x[:, :1].shape
        assert torch.isfinite(y).all(), f"non-finite output at buffer {index}"
        if index == WARM_UP:
            rss_after_warm_up = rss_bytes()
    growth = rss_bytes() - rss_after_warm_up
    assert growth < RSS_GROWTH_LIMIT, f"memory grew by {growth / 2**20:.1f} MiB over {N_BUFFERS - WARM_UP} buffers"
    assert model.rollbacks == 0 and model.timbre_history.shape[-1] <= result.metadata["timbre_frames"]
