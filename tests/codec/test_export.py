"""Codec exports driven as nn~ drives them; streaming export == offline export shifted by its latency."""

import pytest
import torch

from after.codec.config import CodecConfig
from after.codec.export import export_codec
from after.codec.layers import Snake
from after.codec.model import build_codec
from after.config import load_config
from after.nn_tilde.compat import check_saved_model, file_format_version, load_schemas, nn_tilde_schemas_path
from after.nn_tilde.contract import codec_methods
from after.nn_tilde.host import HOST_BUFFER_SIZES, emulate_host, load_ts, read_model_info

BUFFER = 2048
SCHEMAS = nn_tilde_schemas_path()  # shipped in the package


@pytest.fixture(autouse=True)
def plain_interpreter():
    """Skip TorchScript's graph re-optimisation on every new input shape: same results, far less test time."""
    with torch.jit.optimized_execution(False):
        yield


@pytest.fixture(scope="module", params=[True, False], ids=["causal", "noncausal"])
def exports(request, tmp_path_factory):
    torch.set_num_threads(1)
    torch.manual_seed(0)
    causal = str(request.param).lower()
    cfg = load_config(CodecConfig, ["baseAE", "smallAE"], [f"model.causal={causal}", "model.dilations=[1, 3]"])
    codec = build_codec(cfg.model)
    for snake in codec.modules():  # trained-like α (initialised to 1): the stream export folds some of them
        if isinstance(snake, Snake):
            snake.alpha.data.uniform_(0.3, 3.0)
    paths = export_codec(codec, cfg, tmp_path_factory.mktemp(f"codec_{causal}"))
    return cfg, paths


def stream(model, method, x, frames_per_call):
    model.reset_state()
    with torch.inference_mode():
        return torch.cat([getattr(model, method)(x[..., i:i + frames_per_call])
                          for i in range(0, x.shape[-1], frames_per_call)], -1)


def test_stream_equals_offline_shifted_by_latency(exports):
    cfg, paths = exports
    offline, streaming = load_ts(paths["offline"]), load_ts(paths["stream"])
    meta = read_model_info(paths["stream"]).metadata
    ratio, latency = meta["ratio"], meta["latency_by_method"]
    n = BUFFER * 12
    x = (torch.randn(2, 1, n) * 0.3).cumsum(-1).remainder(2.0) - 1.0
    with torch.inference_mode():
        z_offline = offline.encode(x)
        y_offline = offline.decode(z_offline)
    z_stream = stream(streaming, "encode", x, BUFFER)
    shift = latency["encode"] // ratio
    assert torch.allclose(z_stream[..., shift:], z_offline[..., :z_offline.shape[-1] - shift], atol=1e-4)
    y_stream = stream(streaming, "decode", z_offline, BUFFER // ratio)
    lat = latency["decode"]
    assert torch.allclose(y_stream[..., lat:], y_offline[..., :n - lat], atol=1e-4)
    if cfg.model.causal:
        with torch.inference_mode():
            f_offline = offline.forward(x)
        f_stream = stream(streaming, "forward", x, BUFFER)
        lat = latency["forward"]
        assert lat == meta["latency_samples"] < BUFFER
        assert torch.allclose(f_stream[..., lat:], f_offline[..., :n - lat], atol=1e-4)


def test_host_drives_every_method(exports):
    cfg, paths = exports
    for path in paths.values():
        model = load_ts(path)
        info = read_model_info(path, model)
        assert list(model.get_methods()) == ["encode", "decode", "forward"]
        assert model.set_sample_rate(44100) == 0
        for spec in codec_methods(cfg.model.ratio, cfg.model.latent_size):
            m = info.methods[spec.name]
            assert (m.in_channels, m.in_ratio, m.out_channels, m.out_ratio) == (
                spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio)
            assert tuple(m.input_labels) == spec.input_labels and tuple(m.output_labels) == spec.output_labels
            for batch in (1, 4):
                for buffer in HOST_BUFFER_SIZES:
                    y = emulate_host(model, spec.name, torch.randn(batch, m.in_channels, buffer) * 0.1,
                                     m.in_ratio, m.out_ratio)
                    assert y.shape == (batch, m.out_channels, buffer) and torch.isfinite(y).all()
        meta = info.metadata
        assert meta["kind"] == "codec" and meta["sample_rate"] == 44100 and meta["ratio"] == 512
        assert meta["latent_size"] == 16 and meta["causal"] == cfg.model.causal
        assert meta["config"]["model"]["strides"] == [2, 2, 2, 4] and meta["torch_version"]


def test_stream_state_is_per_batch_and_resettable(exports):
    _, paths = exports
    model = load_ts(paths["stream"])
    x = torch.randn(1, 1, BUFFER) * 0.3
    with torch.inference_mode():
        first = model.forward(x)
        second = model.forward(x)
        four = model.forward(x.expand(4, 1, BUFFER).contiguous())  # batch change: fresh state per item
        model.reset_state()
        again = model.forward(x)
    assert not torch.allclose(first, second)
    assert torch.allclose(four, first.expand(4, 1, BUFFER), atol=1e-6)
    assert torch.allclose(again, first, atol=1e-6)


def test_exports_run_in_libtorch_2_5_1(exports):
    _, paths = exports
    schemas = load_schemas(SCHEMAS)
    with torch.jit.optimized_execution(True):  # the checker reads inlined graphs
        for path in paths.values():
            assert file_format_version(path) <= 10
            assert check_saved_model(path, schemas) == []
