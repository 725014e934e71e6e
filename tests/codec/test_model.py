"""Codec network: PQMF reconstruction, chunked == whole-signal processing, causality, latency bookkeeping."""

import pytest
import torch

from after.codec.config import CodecConfig
from after.codec.layers import CausalConv1d, Delay, Snake, Upsample, remove_weight_norm
from after.codec.model import build_codec, latent_penalty
from after.codec.pqmf import PQMF
from after.codec.streaming import (
    StreamDelay,
    StreamingCodec,
    StreamSequence,
    pqmf_analysis_layer,
    pqmf_synthesis_layer,
    snake_then,
    stream_layer,
)
from after.config import load_config
from after.errors import ConfigError

TINY = ["model.encoder_channels=[8, 12, 16]", "model.decoder_channels=[16, 12, 8]", "model.strides=[2, 4]",
        "model.latent_size=4", "model.n_bands=4", "model.pqmf_taps_per_band=4"]


def tiny_codec(causal: bool):
    torch.manual_seed(0)
    cfg = load_config(CodecConfig, ["baseAE"], TINY + [f"model.causal={str(causal).lower()}", "model.dilations=[1, 3]"])
    codec = build_codec(cfg.model).eval()
    remove_weight_norm(codec)
    for snake in codec.modules():  # trained-like α (initialised to 1): the stream form folds some of them
        if isinstance(snake, Snake):
            snake.alpha.data.uniform_(0.3, 3.0)
    return codec


def test_pqmf_reconstructs_with_its_delay():
    torch.set_num_threads(1)
    pqmf = PQMF(16, 8)
    x = torch.randn(1, 1, 16 * 1024)
    y = pqmf.synthesis(pqmf.analysis(x))
    d = pqmf.delay
    err = (y[..., d:] - x[..., :-d])[..., 512:-512]
    snr = 10 * torch.log10(x.pow(2).mean() / err.pow(2).mean())
    assert snr > 50


def stream_frames(layer, frames, chunk):
    """Channels-last frames [B, T, C] fed to a stream layer `chunk` frames at a time, outputs concatenated."""
    return torch.cat([layer(frames[:, i:i + chunk]) for i in range(0, frames.shape[1], chunk)], 1)


@pytest.mark.parametrize("layer", [CausalConv1d(3, 5, 3, dilation=3, weight_norm=False),
                                   CausalConv1d(3, 5, 8, stride=4), CausalConv1d(3, 5, 1, weight_norm=False),
                                   Upsample(3, 2, 4, 2), Delay(3, 7)])
def test_stream_layers_equal_the_whole_signal(layer):
    x = torch.randn(2, 3, 64)
    stream = StreamDelay(layer) if isinstance(layer, Delay) else stream_layer(layer)
    with torch.no_grad():
        whole = layer(x)
        chunks = stream_frames(stream, x.transpose(1, 2), 16).transpose(1, 2)
        stream.reset_state()
        again = stream_frames(stream, x.transpose(1, 2), 8).transpose(1, 2)
    assert chunks.shape == whole.shape
    assert torch.allclose(whole, chunks, atol=1e-5) and torch.allclose(whole, again, atol=1e-5)


@pytest.mark.parametrize("layer", [CausalConv1d(3, 5, 3, dilation=3), Upsample(3, 2, 4, 2)])
def test_snake_folded_into_the_next_layer_streams_like_the_whole_signal(layer):
    snake = Snake(3)
    snake.alpha.data.uniform_(0.3, 3.0)
    x = torch.randn(2, 3, 64)
    stream = StreamSequence(snake_then(snake, layer))
    with torch.no_grad():
        whole = layer(snake(x))
        chunks = stream_frames(stream, x.transpose(1, 2), 16).transpose(1, 2)
    assert torch.allclose(whole, chunks, atol=1e-5)


def test_pqmf_polyphase_streams_like_the_filter_bank():
    pqmf = PQMF(4, 4)
    x = torch.randn(2, 1, 256)
    analysis, synthesis = pqmf_analysis_layer(pqmf), pqmf_synthesis_layer(pqmf)
    with torch.no_grad():
        bands = pqmf.analysis(x)
        stream_bands = stream_frames(analysis, x.reshape(2, -1, 4), 12)  # [B, frames, bands]
        y = pqmf.synthesis(bands)
        stream_y = stream_frames(synthesis, bands.transpose(1, 2), 12).reshape(2, 1, -1)
    assert torch.allclose(stream_bands.transpose(1, 2), bands, atol=1e-5)
    assert torch.allclose(stream_y, y, atol=1e-5)


@pytest.mark.parametrize("causal", [True, False])
def test_codec_chunked_equals_whole_signal(causal):
    codec = tiny_codec(causal)
    stream = StreamingCodec(codec)
    ratio = codec.ratio
    x = torch.randn(2, 1, ratio * 24) * 0.3
    with torch.no_grad():
        z_offline = codec.encode(x)
        y_offline = codec.decode(z_offline)
        z_stream = torch.cat([stream.encode(x[..., i:i + 2 * ratio]) for i in range(0, x.shape[-1], 2 * ratio)], -1)
        y_stream = torch.cat([stream.decode(z_offline[..., i:i + 3]) for i in range(0, 24, 3)], -1)
    k, lat = codec.encode_shift_frames, codec.decode_latency
    assert z_offline.shape == (2, 4, 24) and y_offline.shape == x.shape
    assert z_stream.shape == z_offline.shape and y_stream.shape == y_offline.shape
    assert torch.allclose(z_stream[..., k:], z_offline[..., :24 - k], atol=1e-5)
    assert torch.allclose(y_stream[..., lat:], y_offline[..., :x.shape[-1] - lat], atol=1e-5)
    assert codec.latency == k * ratio + lat
    if causal:
        assert k == 0 and lat == codec.pqmf.delay
    else:
        assert codec.latency > codec.pqmf.delay


def test_causal_core_has_no_gradient_from_the_future():
    codec = tiny_codec(causal=True)
    ratio = codec.ratio
    x = torch.randn(1, 1, ratio * 8, requires_grad=True)
    z = codec.encode_core(x)
    t = 3
    (grad,) = torch.autograd.grad(z[..., t].sum(), x)
    assert grad[..., (t + 1) * ratio:].abs().max() == 0
    assert grad[..., :(t + 1) * ratio].abs().max() > 0
    z = torch.randn(1, 4, 8, requires_grad=True)
    y = codec.decode_core(z)
    (grad,) = torch.autograd.grad(y[..., :(t + 1) * ratio].sum(), z)
    assert grad[..., t + 1:].abs().max() == 0
    assert grad[..., :t + 1].abs().max() > 0


def test_non_causal_mode_looks_ahead():
    codec = tiny_codec(causal=False)
    ratio = codec.ratio
    x = torch.randn(1, 1, ratio * 8, requires_grad=True)
    y = codec(x)
    (grad,) = torch.autograd.grad(y[..., 2 * ratio].sum(), x)
    assert grad[..., 3 * ratio:].abs().max() > 0


def test_latent_penalty_is_small_inside_the_bound():
    assert latent_penalty(torch.zeros(4)) < 0.06
    assert latent_penalty(torch.full((4,), 10.0)) > 6


def test_config_checks():
    with pytest.raises(ConfigError, match="encoder_channels"):
        load_config(CodecConfig, ["baseAE"], ["model.strides=[2, 2]"])
    with pytest.raises(ConfigError, match="power of two"):
        load_config(CodecConfig, ["baseAE"], ["model.strides=[3, 2, 2, 4, 4]"])
    assert load_config(CodecConfig, ["baseAE"]).model.ratio == 2048
    assert load_config(CodecConfig, ["baseAE", "smallAE"]).model.ratio == 512
