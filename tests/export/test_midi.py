"""`after export_midi`: the polyphonic MIDI→audio nn~ export."""

import numpy as np
import pytest
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.midi import Note, piano_roll
from after.diffusion.runs import load_run
from after.diffusion.sampling import sample
from after.export.midi import voices_to_piano_roll
from after.nn_tilde.contract import midi_methods
from after.nn_tilde.host import HOST_BUFFER_SIZES, emulate_host, load_ts, read_model_info
from tests.helpers.export_models import make_export, one_thread  # noqa: F401 (one_thread: fixture)

pytestmark = pytest.mark.usefixtures("one_thread")
N_POLY = 3


@pytest.fixture(scope="module")
def midi_export(tmp_path_factory):
    return make_export(tmp_path_factory.mktemp("midi"), "midi", ratio=2048, n_poly=N_POLY)


def test_voices_make_the_training_piano_roll():
    """Held (pitch, velocity) voices give the same frames as `after.data.midi.piano_roll` of the notes."""
    notes = [Note(60, 0.0, 4.0, 100), Note(64, 1.0, 3.0, 64), Note(67, 2.0, 4.0, 127), Note(60, 2.0, 3.0, 30)]
    frames = 4  # frame rate 1 Hz: frame i covers [i, i + 1) s
    voices = torch.zeros(1, 2 * 4, frames)
    for voice, note in enumerate(notes):
        for frame in range(int(note.start), int(note.end)):
            voices[0, 2 * voice, frame] = note.pitch
            voices[0, 2 * voice + 1, frame] = note.velocity
    expected = piano_roll(notes, frames, 1.0)
    assert np.allclose(voices_to_piano_roll(voices)[0].numpy(), expected)
    silent = voices_to_piano_roll(torch.tensor([[[72.0], [0.0]]]))  # velocity 0 = voice off
    assert silent.abs().sum() == 0


def test_every_method_and_attribute_as_the_host_drives_them(midi_export):
    model = load_ts(midi_export.path)
    info = read_model_info(midi_export.path, model)
    meta = info.metadata
    assert meta["kind"] == "midi" and meta["n_poly"] == N_POLY and meta["zs"] == 128
    specs = {s.name: s for s in midi_methods(meta["ratio"], meta["latent_size"], N_POLY, meta["zt"])}
    assert set(info.methods) == set(specs)
    assert model.set_nb_steps(1) == 0
    for spec in specs.values():
        m = info.methods[spec.name]
        assert (m.in_channels, m.in_ratio, m.out_channels, m.out_ratio) == \
               (spec.in_channels, spec.in_ratio, spec.out_channels, spec.out_ratio)
        for batch in (1, 4):
            for buffer in HOST_BUFFER_SIZES:
                for _ in range(2):
                    x = torch.rand(batch, spec.in_channels, buffer) * 127
                    y = emulate_host(model, spec.name, x, spec.in_ratio, spec.out_ratio)
                    assert y.shape == (batch, spec.out_channels, buffer) and torch.isfinite(y).all()
    assert model.set_nb_steps(99) == -1 and model.set_nb_steps(5) == 0 and model.get_nb_steps() == (5,)


def test_streamed_generate_follows_the_offline_sampler(midi_export):
    """`diffuse` over 4-frame buffers == offline MIDI sampling of the whole piano roll (atol 1e-4)."""
    model = load_ts(midi_export.path)
    meta = midi_export.metadata
    batch, frames, n = 1, 16, 4
    assert model.set_nb_steps(2) == 0 and model.set_guidance_structure(2.0) == 0
    voices = torch.zeros(batch, 2 * N_POLY, frames)
    voices[:, 0], voices[:, 1] = 60, 100
    voices[:, 2, 8:], voices[:, 3, 8:] = 67, 50
    timbre = torch.randn(batch, meta["zt"])
    x = torch.cat([voices, timbre[:, :, None].expand(-1, -1, frames)], dim=1)
    torch.manual_seed(3)
    with torch.inference_mode():
        streamed = torch.cat([model.diffuse(x[:, :, i:i + n]) for i in range(0, frames, n)], dim=-1)
    torch.manual_seed(3)
    noise = torch.cat([torch.randn(batch, meta["latent_size"], n) for _ in range(frames // n)], dim=-1)
    with torch.inference_mode():
        offline = sample(load_run(midi_export.path.parent).networks.denoiser, noise, timbre,
                         voices_to_piano_roll(voices), 2, 1.0, 2.0, midi=True)
    torch.testing.assert_close(streamed, offline, atol=1e-4, rtol=1e-4)


def test_forward_reads_voices_like_the_host(midi_export):
    """`forward` (audio-rate voices + timbre audio) keeps the last sample of each frame, as the host does for
    `generate`: the same notes give the same audio when the timbre comes from the same window."""
    model = load_ts(midi_export.path)
    ratio = midi_export.metadata["ratio"]
    buffer = 8192
    voices = torch.zeros(1, 2 * N_POLY, buffer)
    voices[:, 0, :], voices[:, 1, :] = 62, 90
    timbre_audio = torch.randn(1, 1, buffer) * 0.3
    torch.manual_seed(11)
    with torch.inference_mode():
        through_forward = model.forward(torch.cat([voices, timbre_audio], dim=1))
        model.reset_state()
        timbre = model.timbre(timbre_audio)  # the same rolling window, [1, zt, frames]
        model.reset_state()
        torch.manual_seed(11)
        through_generate = model.generate(torch.cat([voices[:, :, ratio - 1::ratio], timbre], dim=1))
    torch.testing.assert_close(through_forward, through_generate, atol=1e-5, rtol=1e-5)


def test_cli_accepts_the_seed_spelling_npoly(tmp_path, midi_export):
    folder = midi_export.path.parent.parent
    result = CliRunner().invoke(after_group, [
        "export_midi", "--model_path", str(folder / "run"), "--emb_model_path", str(folder / "export_stream.ts"),
        "--db_path", str(folder / "db"), "--npoly", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    info = read_model_info(tmp_path / "after.midi.run.ts")
    assert info.metadata["n_poly"] == 2 and info.methods["generate"].in_channels == 2 * 2 + info.metadata["zt"]
