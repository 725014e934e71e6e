"""The notebooks in `notebooks/` run top to bottom, headless (nbclient, a kernel on this interpreter), on small
models made here through the real export path: audio notebook on a run folder + its export, MIDI notebook on
an export. Every cell must run; the audio players, spectrograms and map plots must be there."""

import os
from pathlib import Path

import pytest
import soundfile as sf

from after.data.midi import Note
from tests.helpers.data_synth import notes_audio, write_midi
from tests.helpers.export_models import make_export

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SR = 16000


def execute_notebook(path: Path, env: dict[str, str], cwd: Path) -> list[dict]:
    """Run every cell of `path` in a fresh kernel of this interpreter with `env` added; returns the outputs
    of the code cells (nbclient raises `CellExecutionError`, with the cell and traceback, on any error)."""
    nbclient = pytest.importorskip("nbclient", reason="install the test extra: pip install -e '.[test]'")
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    kernel_env = {**os.environ, **env, "OMP_NUM_THREADS": "1", "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    # jupyter_client starts the "python3" kernel with this interpreter (sys.executable), i.e. the venv's
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute(env=kernel_env)
    return [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"]


def output_types(outputs: list[list[dict]]) -> set[str]:
    kinds = set()
    for cell in outputs:
        for output in cell:
            kinds.update(output.get("data", {}))
    return kinds


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("notebook_models")
    audio = make_export(root / "audio", kind="audio")
    midi = make_export(root / "midi", kind="midi")
    notes = [Note(60, 0.1, 0.6, 100), Note(64, 0.6, 1.1, 80), Note(67, 1.1, 1.8, 110)]
    write_midi(root / "structure.mid", notes)
    sf.write(root / "structure.wav", notes_audio(notes, SR, 2.0), SR)
    sf.write(root / "timbre.wav", notes_audio([Note(57, 0.0, 2.0, 100)], SR, 2.0), SR)
    return {"audio_export": audio.path, "audio_run": root / "audio" / "run", "midi_export": midi.path,
            "structure_wav": root / "structure.wav", "structure_mid": root / "structure.mid",
            "timbre": root / "timbre.wav"}


@pytest.mark.slow
def test_audio_to_audio_notebook_runs_on_a_run_folder_and_its_export(models, tmp_path: Path) -> None:
    outputs = execute_notebook(NOTEBOOKS / "audio_to_audio_demo.ipynb", {
        "AFTER_MODEL": str(models["audio_run"]), "AFTER_EXPORT": str(models["audio_export"]),
        "AFTER_STRUCTURE": str(models["structure_wav"]), "AFTER_TIMBRE": str(models["timbre"]),
        "AFTER_STEPS": "2"}, tmp_path)
    kinds = output_types(outputs)
    assert {"text/html", "image/png"} <= kinds  # audio players (HTML <audio>) and figures
    html = "".join(o["data"].get("text/html", "") for cell in outputs for o in cell if "data" in o)
    assert html.count("<audio") == 2 + 1 + 4  # the two inputs, the transfer, four points of the map walk
    text = "".join(o.get("text", "") for cell in outputs for o in cell)
    assert "map → timbre → map round trip" in text
    error = float(text.split("round trip, largest error:")[1].split()[0])
    assert error < 1e-3, text  # the map's inverse really inverts it


@pytest.mark.slow
def test_midi_to_audio_notebook_runs_on_an_export(models, tmp_path: Path) -> None:
    outputs = execute_notebook(NOTEBOOKS / "midi_to_audio_demo.ipynb", {
        "AFTER_MODEL": str(models["midi_export"]), "AFTER_EXPORT": str(models["midi_export"]),
        "AFTER_STRUCTURE": str(models["structure_mid"]), "AFTER_TIMBRE": str(models["timbre"]),
        "AFTER_STEPS": "2"}, tmp_path)
    html = "".join(o["data"].get("text/html", "") for cell in outputs for o in cell if "data" in o)
    assert html.count("<audio") == 1 + 1 + 4
    assert "image/png" in output_types(outputs)
    assert "3 notes over 1.80 s" in "".join(o.get("text", "") for cell in outputs for o in cell)


def test_notebooks_are_committed_without_outputs() -> None:
    import json

    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text())["cells"]
        code = [c for c in cells if c["cell_type"] == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path
        assert any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells), path
    assert {p.name for p in NOTEBOOKS.glob("*.ipynb")} == {"audio_to_audio_demo.ipynb", "midi_to_audio_demo.ipynb"}
