"""`after prepare_dataset` / `after update_dataset` end to end through the CLI (CliRunner, in-process)."""

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.midi import Note
from after.data.store import DatabaseReader, database_info
from tests.helpers.data_synth import mixed_folder, notes_audio, tone, write_midi

FAST = ["--num_signal", "16384", "--sample_rate", "16000", "--num_multiprocesses", "1"]


def run(*args: str):
    return CliRunner().invoke(after_group, [str(a) for a in args], catch_exceptions=False)


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    for word in words:
        assert word in lines[0], lines[0]


def test_mixed_folder_chunks_and_bad_files(tmp_path: Path) -> None:
    expected = mixed_folder(tmp_path / "audio")
    result = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                 "--save_waveform", *FAST)
    assert result.exit_code == 0, result.output
    info = database_info(tmp_path / "db")
    assert info.n_records == expected["chunks"]
    assert (info.sample_rate, info.num_signal, info.has_waveform, info.has_latents) == (16000, 16384, True, False)
    skipped = [line.strip() for line in result.output.splitlines() if line.startswith("    ")]
    assert {Path(line.split(":")[0]).name for line in skipped} == expected["bad"]
    assert "empty file" in result.output and ".txt ×1" in result.output
    assert "files read:     4 of 7" in result.output
    record = DatabaseReader(tmp_path / "db")[0]
    assert record.waveform.dtype == np.int16 and record.waveform.shape == (16384,)
    assert record.notes is None and record.metadata["label"] == "audio"
    # normalisation: the quiet file is raised (gain capped at 30 dB) then × 0.9
    peaks = [np.abs(DatabaseReader(tmp_path / "db")[i].waveform).max() / 32767 for i in range(info.n_records)]
    assert max(peaks) == pytest.approx(0.9, abs=0.01)
    assert not list(tmp_path.glob(".db*")), "temporary folder left behind"


def test_bool_flags_accept_seed_style_values(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "quiet.wav", tone(16000, 2.0, amp=0.02), 16000)
    kept = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "a",
               "--normalize", "False", "--cut_silences", "False", "--save_waveform", "True", *FAST)
    assert kept.exit_code == 0, kept.output
    assert database_info(tmp_path / "a").n_records == 2
    assert np.abs(DatabaseReader(tmp_path / "a")[0].waveform).max() / 32767 == pytest.approx(0.02, abs=1e-3)
    dropped = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "b",
                  "--normalize", "False", "--cut_silences", *FAST)
    assert_one_line_error(dropped, "no chunk to store")
    assert not (tmp_path / "b").exists()


def test_bad_arguments_are_one_line_errors(tmp_path: Path, dct_codec_path: Path) -> None:
    audio = tmp_path / "audio"
    audio.mkdir()
    sf.write(audio / "a.wav", tone(16000, 2.0), 16000)
    assert_one_line_error(run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "x",
                              "--num_signal", "10000"), "--num_signal 10000", "power of two")
    (tmp_path / "empty").mkdir()
    assert_one_line_error(run("prepare_dataset", "--input_path", tmp_path / "empty", "--output_path",
                              tmp_path / "x", *FAST), "no audio files found")
    decode_only = tmp_path / "decode_only.ts"
    torch.jit.save(torch.jit.script(DecodeOnly()), str(decode_only))
    assert_one_line_error(run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "x",
                              "--emb_model_path", decode_only, *FAST), "encode")
    assert not (tmp_path / "x").exists()
    assert run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "db", *FAST).exit_code == 0
    assert_one_line_error(run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "db", *FAST),
                          "already exists", "--overwrite")
    assert run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "db", "--overwrite",
               *FAST).exit_code == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "precious.txt").write_text("keep me")
    assert_one_line_error(run("prepare_dataset", "--input_path", audio, "--output_path", tmp_path / "mine",
                              "--overwrite", *FAST), "not an after dataset")
    assert (tmp_path / "mine" / "precious.txt").exists()


class DecodeOnly(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x

    @torch.jit.export
    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return z


def test_interrupted_run_leaves_no_database(tmp_path: Path, monkeypatch) -> None:
    mixed_folder(tmp_path / "audio")
    import after.data.prepare as prepare

    def interrupt(self, result):
        raise KeyboardInterrupt

    monkeypatch.setattr(prepare._RecordSink, "add", interrupt)
    result = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db", *FAST)
    assert result.exit_code == 130
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audio"]


def test_latents_with_codec_then_update(tmp_path: Path, dct_codec_path: Path) -> None:
    from tests.helpers.fake_models import make_dct_codec

    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "a.wav", tone(16000, 3.0, freq=330.0), 16000)
    result = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                 "--save_waveform", "--emb_model_path", dct_codec_path, "--num_augments", "2",
                 "--num_multiprocesses", "2", "--num_signal", "16384", "--sample_rate", "16000")
    assert result.exit_code == 0, result.output
    info = database_info(tmp_path / "db")
    assert info.latent_shape == (64, 64) and info.codec_ratio == 256 and info.n_records == 3
    assert info.augmentations == ("augment_shift_stretch_0", "augment_shift_stretch_1")
    codec = torch.jit.load(str(dct_codec_path))
    record = DatabaseReader(tmp_path / "db")[1]
    wave = torch.from_numpy(record.waveform.astype(np.float32) / 32767)[None, None]
    assert torch.allclose(torch.from_numpy(record.latents), codec.encode(wave)[0], atol=1e-3)
    assert {z.shape[0] for z in record.augmented.values()} == {64}

    other = make_dct_codec(tmp_path / "dct128.ts", ratio=128, latent_size=32)
    updated = run("update_dataset", "--db_path", tmp_path / "db", "--emb_model_path", other, "--batch_size", "2")
    assert updated.exit_code == 0, updated.output
    info = database_info(tmp_path / "db")
    assert info.latent_shape == (32, 128) and info.codec_ratio == 128
    record = DatabaseReader(tmp_path / "db")[1]
    assert record.latents.shape == (32, 128)
    assert torch.allclose(torch.from_numpy(record.latents), torch.jit.load(str(other)).encode(wave)[0], atol=1e-3)
    assert {z.shape[0] for z in record.augmented.values()} == {32}


def test_update_needs_waveforms(tmp_path: Path, dct_codec_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "a.wav", tone(16000, 2.0), 16000)
    assert run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
               *FAST).exit_code == 0
    assert_one_line_error(run("update_dataset", "--db_path", tmp_path / "db", "--emb_model_path", dct_codec_path),
                          "--save_waveform")
    assert_one_line_error(run("update_dataset", "--db_path", tmp_path / "nope", "--emb_model_path", dct_codec_path),
                          "not found")


def test_midi_files_keep_alignment_and_drop_empty_chunks(tmp_path: Path) -> None:
    sr, num_signal = 16000, 16384
    chunk_s = num_signal / sr
    notes = [Note(60, 0.1, 0.6, 100), Note(67, 0.5, 1.3, 80), Note(72, 3 * chunk_s + 0.2, 3 * chunk_s + 0.5, 90)]
    (tmp_path / "audio").mkdir()
    (tmp_path / "midi").mkdir()
    sf.write(tmp_path / "audio" / "song.wav", notes_audio(notes, sr, 4 * chunk_s), sr)
    write_midi(tmp_path / "midi" / "song.mid", notes)
    result = run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path", tmp_path / "db",
                 "--parser", "simple_midi", "--midi_path", tmp_path / "midi", *FAST)
    assert result.exit_code == 0, result.output
    info = database_info(tmp_path / "db")
    assert info.has_midi and info.n_records == 3  # chunk 2 has no note
    reader = DatabaseReader(tmp_path / "db")
    assert [reader[i].metadata["chunk_index"] for i in range(3)] == [0, 1, 3]
    first, second = reader[0].notes, reader[1].notes
    assert [n.pitch for n in first] == [60, 67] and first[0].start == pytest.approx(0.1, abs=1e-3)
    assert second[0].pitch == 67 and second[0].start == 0.0 and second[0].end == pytest.approx(1.3 - chunk_s, abs=1e-3)
    assert reader[2].notes[0].start == pytest.approx(0.2, abs=1e-3)


def test_unknown_parser_lists_valid_ones(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    assert_one_line_error(run("prepare_dataset", "--input_path", tmp_path / "audio", "--output_path",
                              tmp_path / "db", "--parser", "nope"), "simple_audio", "slakh")


def test_help_lists_seed_flags() -> None:
    out = run("prepare_dataset", "--help").output
    for flag in ("--input_path", "--output_path", "--num_signal", "--sample_rate", "--save_waveform",
                 "--waveform_augmentation", "--num_augments", "--emb_model_path", "--gpu", "--basic_pitch_midi",
                 "--midi_path", "--parser", "--include", "--exclude", "--normalize", "--cut_silences", "--ext",
                 "--batch_size", "--num_multiprocesses"):
        assert flag in out
    out = run("update_dataset", "--help").output
    assert all(flag in out for flag in ("--db_path", "--emb_model_path", "--gpu", "--batch_size"))
