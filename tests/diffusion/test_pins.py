"""Pitch pinning (`model.pitch_pin`): generated latents take channel 0 from the structure — the piano roll's
highest note for MIDI models, the source's raw pitch channel for audio models — and nothing else changes."""

import torch

from after.diffusion.pins import piano_roll_pins, pin_pitch
from tests.helpers.export_models import make_export


def test_piano_roll_pins_read_the_highest_sounding_note():
    roll = torch.zeros(1, 128, 4)
    roll[0, 60, 0] = 0.8
    roll[0, [64, 67], 1] = 0.5  # a chord: the top note
    roll[0, 81, 3] = 0.1
    value, mask = piano_roll_pins(roll)
    assert mask.tolist() == [[1.0, 1.0, 0.0, 1.0]]
    assert torch.allclose(value[0, [0, 1, 3]], (torch.tensor([60.0, 67.0, 81.0]) - 69.0) / 12.0)


def test_pin_pitch_replaces_channel_zero_where_the_mask_is_set_only():
    latents = torch.randn(2, 5, 3)
    value = torch.full((2, 3), 7.0)
    mask = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    pinned = pin_pitch(latents, value, mask)
    assert torch.equal(pinned[:, 1:], latents[:, 1:])
    assert pinned[0, 0].tolist() == [7.0, latents[0, 0, 1].item(), 7.0]
    assert torch.equal(pinned[1, 0], latents[1, 0])


def midi_voices(pitches: list[float], frames_per_note: int) -> torch.Tensor:
    """One voice playing `pitches` in turn at velocity 100, a silent frame after each: [1, 2, n]."""
    pitch, velocity = [], []
    for p in pitches:
        pitch += [p] * frames_per_note + [0.0]
        velocity += [100.0] * frames_per_note + [0.0]
    return torch.tensor([pitch, velocity])[None]


def test_midi_export_with_pitch_pin_diffuses_latents_with_the_notes_pitch(tmp_path):
    export = make_export(tmp_path / "midi", kind="midi", n_poly=1, pitch_pin=True)
    model = torch.jit.load(str(export.path))
    zt = int(export.metadata["zt"])
    voices = midi_voices([60.0, 64.0, 71.0, 72.0], 7)
    signals = torch.cat([voices, torch.zeros(1, zt, voices.shape[-1])], 1)
    with torch.inference_mode():
        latents = torch.cat([model.diffuse(signals[..., i:i + 8]) for i in range(0, signals.shape[-1], 8)], -1)
    sounding = voices[0, 1] > 0
    expected = (voices[0, 0] - 69.0) / 12.0
    assert latents.shape[-1] == voices.shape[-1] and torch.isfinite(latents).all()
    assert torch.allclose(latents[0, 0][sounding], expected[sounding])


def test_audio_export_with_pitch_pin_runs_and_keeps_the_structure_method_contract(tmp_path):
    export = make_export(tmp_path / "audio", kind="audio", pitch_pin=True)
    model = torch.jit.load(str(export.path))
    audio = 0.1 * torch.randn(1, 2, 4096)
    with torch.inference_mode():
        out = model.forward(audio)
        structure = model.structure(audio[:, :1])
    assert out.shape == (1, 1, 4096) and torch.isfinite(out).all()
    assert structure.shape[1] == 12  # zs of the test config: the pins never leave the export


def test_a_pinned_audio_export_switches_between_forward_and_diffuse_mid_stream(tmp_path):
    """`forward` hands the generator structure with two pin channels, `diffuse` plain signals: with frames
    still pending from small buffers, switching restarts the stream instead of failing on the width."""
    export = make_export(tmp_path / "audio", kind="audio", pitch_pin=True)
    model = torch.jit.load(str(export.path))
    zs, zt = int(export.metadata["zs"]), int(export.metadata["zt"])
    with torch.inference_mode():
        for _ in range(3):
            assert torch.isfinite(model.forward(0.1 * torch.randn(1, 2, 512))).all()
            assert torch.isfinite(model.diffuse(torch.zeros(1, zs + zt, 2))).all()
