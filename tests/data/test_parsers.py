"""Parsers: filters, simple_midi pairing, the Slakh layout, user parsers by import path."""

from pathlib import Path

import soundfile as sf
import yaml
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.midi import Note
from after.data.parsers import find_audio_files, get_parser, simple_midi, slakh
from after.data.store import DatabaseReader, database_info
from tests.helpers.data_synth import tone, write_midi


def test_filters_and_extensions(tmp_path: Path) -> None:
    for name in ("Keep/a.WAV", "keep/b.flac", "drop/c.wav", "keep/d.mp4", "__MACOSX/e.wav", "keep/._f.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    names = lambda files: sorted(p.name for p in files)  # noqa: E731
    assert names(find_audio_files(tmp_path, ("wav", "flac"), (), ())) == ["a.WAV", "b.flac", "c.wav"]
    assert names(find_audio_files(tmp_path, ("wav", "flac"), ("keep",), ())) == ["a.WAV", "b.flac"]
    assert names(find_audio_files(tmp_path, ("wav", "flac"), (), ("DROP", "b."))) == ["a.WAV"]


def test_simple_midi_pairs_by_relative_path(tmp_path: Path) -> None:
    (tmp_path / "audio" / "x").mkdir(parents=True)
    (tmp_path / "midi" / "x").mkdir(parents=True)
    for stem in ("one", "two"):
        (tmp_path / "audio" / "x" / f"{stem}.wav").write_bytes(b"x")
    write_midi(tmp_path / "midi" / "x" / "one.mid", [Note(60, 0, 1, 90)])
    found = simple_midi(tmp_path / "audio", tmp_path / "midi", ("wav",), (), ())
    assert [(s.audio.name, s.midi.name) for s in found] == [("one.wav", "one.mid")]


def test_slakh_layout(tmp_path: Path) -> None:
    track = tmp_path / "Track00001"
    (track / "stems").mkdir(parents=True)
    (track / "MIDI").mkdir()
    stems = {"S00": {"inst_class": "Piano", "program_num": 0, "is_drum": False},
             "S01": {"inst_class": "Drums", "program_num": 0, "is_drum": True},
             "S02": {"inst_class": "Bass", "program_num": 33, "is_drum": False}}
    (track / "metadata.yaml").write_text(yaml.safe_dump({"stems": stems}))
    for stem in stems:
        sf.write(track / "stems" / f"{stem}.flac", tone(16000, 1.0), 16000)
        write_midi(track / "MIDI" / f"{stem}.mid", [Note(48, 0.1, 0.9, 100)])
    found = slakh(tmp_path, None, ("flac",), (), ())
    assert [(s.audio.name, s.metadata["label"]) for s in found] == [("S00.flac", "Piano"), ("S02.flac", "Bass")]
    result = CliRunner().invoke(after_group, ["prepare_dataset", "--input_path", str(tmp_path), "--output_path",
                                              str(tmp_path.parent / "slakh_db"), "--parser", "slakh", "--num_signal",
                                              "16384", "--sample_rate", "16000", "--num_multiprocesses", "1"])
    assert result.exit_code == 0, result.output
    info = database_info(tmp_path.parent / "slakh_db")
    assert info.has_midi and info.labels == ("Bass", "Piano") and info.n_records == 2


def test_user_parser_by_import_path(tmp_path: Path) -> None:
    for folder in ("violin", "flute"):
        (tmp_path / "audio" / folder).mkdir(parents=True)
        sf.write(tmp_path / "audio" / folder / "take1.wav", tone(16000, 1.0), 16000)
    assert callable(get_parser("tests.helpers.data_synth:labelled_by_folder"))
    result = CliRunner().invoke(after_group, ["prepare_dataset", "--input_path", str(tmp_path / "audio"),
                                              "--output_path", str(tmp_path / "db"), "--parser",
                                              "tests.helpers.data_synth:labelled_by_folder", "--num_signal", "16384",
                                              "--sample_rate", "16000", "--num_multiprocesses", "1"])
    assert result.exit_code == 0, result.output
    assert database_info(tmp_path / "db").labels == ("flute", "violin")
    assert DatabaseReader(tmp_path / "db")[0].metadata["take"] == "take1"
    bad = CliRunner().invoke(after_group, ["prepare_dataset", "--input_path", str(tmp_path / "audio"),
                                           "--output_path", str(tmp_path / "db2"), "--parser", "nowhere:parser"])
    assert bad.exit_code != 0 and "cannot import it" in bad.output
