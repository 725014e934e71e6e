"""`--basic_pitch_midi`: basic-pitch transcription (bundled ONNX model, offline) stored with the chunks.

Slow: the first basic-pitch call in a fresh environment compiles librosa's numba code (~25 s). Setting
NUMBA_DISABLE_JIT=1 is not an option with librosa 0.11 (its audio module fails to import without the JIT).
"""

from pathlib import Path

import pytest
import soundfile as sf
from click.testing import CliRunner

from after.cli.main import after_group
from after.data.midi import Note
from after.data.store import DatabaseReader, database_info
from tests.helpers.data_synth import notes_audio

pytestmark = pytest.mark.slow


def test_basic_pitch_midi_recovers_notes(tmp_path: Path) -> None:
    sr, num_signal = 16000, 65536  # 4.1 s chunks
    pitches = [60, 64, 67, 72, 62, 65, 69, 74, 57, 71]
    truth = [Note(p, 0.2 + 0.8 * i, 0.2 + 0.8 * i + 0.6, 100) for i, p in enumerate(pitches)]
    (tmp_path / "audio").mkdir()
    sf.write(tmp_path / "audio" / "melody.wav", notes_audio(truth, sr, 8.2), sr)
    result = CliRunner().invoke(after_group, [
        "prepare_dataset", "--input_path", str(tmp_path / "audio"), "--output_path", str(tmp_path / "db"),
        "--basic_pitch_midi", "--num_signal", str(num_signal), "--sample_rate", str(sr),
        "--num_multiprocesses", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert database_info(tmp_path / "db").has_midi
    reader = DatabaseReader(tmp_path / "db")
    found = []
    for i in range(len(reader)):
        record = reader[i]
        offset = record.metadata["chunk_index"] * num_signal / sr
        found.extend(Note(n.pitch, n.start + offset, n.end + offset, n.velocity) for n in record.notes)
    strong = [n for n in found if n.velocity >= 30]  # quieter extras come from harmonics
    recovered = [t for t in truth if any(n.pitch == t.pitch and abs(n.start - t.start) <= 0.05 for n in strong)]
    assert len(recovered) >= 0.9 * len(truth), (truth, found)
