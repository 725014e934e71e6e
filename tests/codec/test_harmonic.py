"""The harmonic codec (`family: harmonic`, preset ddspAE): pitch tracking, alignment, streaming equals
offline, causality, the nn~ export (libtorch 2.5.1 operators included), and that training lowers its loss."""

import math

import numpy as np
import pytest
import torch

from after.codec.config import CodecConfig
from after.codec.export import export_codec
from after.codec.harmonic import PITCH_CENTRE, PITCH_SCALE, STRUCTURE_CHANNELS
from after.codec.losses import multiresolution_stft_distance
from after.codec.model import build_codec
from after.codec.pitch import FrameAnalyser, hold_pitch
from after.config import load_config
from after.nn_tilde.host import load_ts, read_extra_files

SAMPLE_RATE = 16000
HOP = 256


def harmonic_config(**train) -> CodecConfig:
    return load_config(CodecConfig, ["ddspAE"], [f"train.{k}={v}" for k, v in train.items()])


def tone(f0: float, seconds: float, amplitude: float = 0.3) -> torch.Tensor:
    t = torch.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return amplitude * (torch.sin(2 * math.pi * f0 * t) + 0.4 * torch.sin(2 * math.pi * 2 * f0 * t + 0.3))


@pytest.mark.parametrize("f0", [55.0, 110.0, 261.6, 440.0, 987.8, 1760.0])
def test_pitch_tracker_finds_f0_of_harmonic_tones(f0):
    analyser = FrameAnalyser(SAMPLE_RATE, 512, 50.0, 2000.0, 0.15)
    frames = tone(f0, 0.3).unfold(0, analyser.frame_length, HOP)
    estimate, periodicity, loudness = analyser(frames)
    cents = 1200 * torch.log2(estimate / f0)
    assert cents.abs().max() < 5
    assert periodicity.min() > 0.9
    assert loudness.min() > -20


def test_pitch_tracker_calls_noise_and_silence_unvoiced():
    analyser = FrameAnalyser(SAMPLE_RATE, 512, 50.0, 2000.0, 0.15)
    torch.manual_seed(0)
    noise = (0.3 * torch.randn(4 * analyser.frame_length)).unfold(0, analyser.frame_length, HOP)
    _, periodicity, _ = analyser(noise)
    assert periodicity.max() < 0.5
    _, periodicity, loudness = analyser(torch.zeros(3, analyser.frame_length))
    assert periodicity.abs().max() == 0 and loudness.max() == -80


def test_hold_pitch_carries_the_last_voiced_value():
    pitch = torch.tensor([[60.0, 99.0, 62.0, 98.0, 97.0]])
    voiced = torch.tensor([[True, False, True, False, False]])
    assert hold_pitch(pitch, voiced, torch.tensor([50.0])).tolist() == [[60.0, 60.0, 62.0, 62.0, 62.0]]
    assert hold_pitch(pitch, ~voiced, torch.tensor([50.0])).tolist() == [[50.0, 99.0, 99.0, 98.0, 97.0]]


def test_latents_put_pitch_loudness_periodicity_first_and_follow_a_note_change():
    cfg = harmonic_config()
    codec = build_codec(cfg.model).eval()
    x = torch.cat([tone(220.0, 0.5), tone(330.0, 0.5)])[None, None]
    with torch.no_grad():
        z = codec.encode(x)
    assert z.shape == (1, cfg.model.latent_size, x.shape[-1] // HOP)
    pitch = z[0, 0] * PITCH_SCALE + PITCH_CENTRE
    change = x.shape[-1] // 2 // HOP  # the frame whose hop ends at the change
    assert torch.allclose(pitch[3:change - 2], torch.full_like(pitch[3:change - 2], 57.0), atol=0.05)  # A3
    assert torch.allclose(pitch[change + 3:], torch.full_like(pitch[change + 3:], 64.02), atol=0.05)  # E4
    steady = torch.cat([z[0, 2, 3:change - 2], z[0, 2, change + 3:-2]])
    assert (steady > 0.9).all()  # periodicity channel 2p - 1 of a clean tone


def test_untrained_decoder_plays_the_encoded_pitch_at_the_encoded_loudness():
    codec = build_codec(harmonic_config().model).eval()
    x = tone(330.0, 1.0)[None, None]
    with torch.no_grad():
        y = codec(x)
    spectrum = torch.fft.rfft(y[0, 0, 4096:] * torch.hann_window(y.shape[-1] - 4096)).abs()
    peak_hz = spectrum.argmax().item() * SAMPLE_RATE / (y.shape[-1] - 4096)
    assert abs(peak_hz - 330.0) < 3.0
    ratio_db = 20 * math.log10(y[0, 0, 4096:].pow(2).mean().sqrt() / x[0, 0, 4096:].pow(2).mean().sqrt())
    assert abs(ratio_db) < 6.0


def test_encoder_is_causal_up_to_its_lookahead():
    codec = build_codec(harmonic_config().model).eval()
    torch.manual_seed(0)
    x = torch.randn(1, 1, 32 * HOP) * 0.1 + tone(200.0, 32 * HOP / SAMPLE_RATE)[None, None]
    changed = x.clone()
    cut = 20 * HOP
    changed[..., cut:] = torch.randn(1, 1, x.shape[-1] - cut)
    with torch.no_grad():
        a, b = codec.encode(x), codec.encode(changed)
    first_affected = cut // HOP - codec.encode_shift_frames
    assert torch.equal(a[..., :first_affected], b[..., :first_affected])
    assert not torch.equal(a[..., first_affected:], b[..., first_affected:])


def test_export_streams_like_offline_and_declares_its_structure_channels(tmp_path):
    cfg = harmonic_config()
    codec = build_codec(cfg.model).eval()
    paths = export_codec(codec, cfg, tmp_path)
    offline, stream = load_ts(paths["offline"]), load_ts(paths["stream"])
    x = torch.randn(2, 1, 8192) * 0.05 + tone(300.0, 8192 / SAMPLE_RATE)[None, None]
    with torch.inference_mode():
        z = offline.encode(x)
        chunks = [stream.encode(x[..., i:i + 2048]) for i in range(0, 8192, 2048)]
        chunks.append(stream.encode(torch.zeros(2, 1, 2048)))
        streamed = torch.cat(chunks, -1)
        shift = codec.encode_shift_frames
        assert torch.allclose(streamed[..., shift:shift + z.shape[-1]], z, atol=1e-5)
        stream.reset_state()
        torch.manual_seed(3)
        y = offline.decode(z[:1])
        torch.manual_seed(3)
        y_stream = torch.cat([stream.decode(z[:1, :, i:i + 8]) for i in range(0, z.shape[-1], 8)], -1)
        assert torch.allclose(y, y_stream, atol=1e-4)
        assert torch.isfinite(stream.forward(torch.zeros(4, 1, 2048))).all()  # a new batch size resets state
    import json

    metadata = json.loads(read_extra_files(paths["stream"])["after/metadata.json"])
    assert metadata["family"] == "harmonic" and metadata["structure_channels"] == STRUCTURE_CHANNELS
    assert metadata["latency_by_method"]["encode"] == HOP


def test_export_uses_only_operators_of_libtorch_2_5_1(tmp_path):
    from after.nn_tilde.compat import check_saved_model, load_schemas, nn_tilde_schemas_path

    cfg = harmonic_config()
    paths = export_codec(build_codec(cfg.model).eval(), cfg, tmp_path)
    schemas = load_schemas(nn_tilde_schemas_path())
    for path in paths.values():
        assert check_saved_model(path, schemas) == []


def test_a_few_steps_of_training_lower_the_spectral_loss():
    torch.manual_seed(0)
    cfg = harmonic_config()
    codec = build_codec(cfg.model)
    optimiser = torch.optim.Adam(codec.parameters(), cfg.train.learning_rate)
    rng = np.random.default_rng(0)
    batch = torch.stack([tone(float(f), 4096 / SAMPLE_RATE) * (0.5 + 0.5 * np.sin(np.arange(4096) / 700.0))
                         for f in rng.uniform(150, 600, 4)]).float()[:, None]
    losses = []
    for _ in range(30):
        loss = multiresolution_stft_distance(codec(batch), batch, cfg.train.stft_scales, cfg.train.stft_log_epsilon)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]
