"""Exports driven by a real C++ host that calls them exactly as nn~ does (`tests/host/nn_host.cpp`, compiled
once per session against the installed torch's libtorch): load and setters on the main thread, each buffer on
a new thread under InferenceMode, inputs decimated as non-contiguous views of channel-major host buffers. Every
export kind, several methods, buffer sizes and batch sizes in one stream, attribute changes (applied and
refused) between buffers, a NaN buffer; the outputs must match the Python reference (`emulate_host`) call for
call."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from after.codec.config import CodecConfig
from after.codec.export import OFFLINE_FILE, STREAM_FILE, export_codec
from after.codec.model import build_codec
from after.config import load_config
from after.nn_tilde.contract import audio_methods, codec_methods, midi_methods
from after.nn_tilde.host import emulate_host, load_ts
from tests.helpers.export_models import one_thread  # noqa: F401 (fixture)
from tests.helpers.live_models import make_live_export

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("one_thread")]
SOURCE = Path(__file__).parent / "host" / "nn_host.cpp"
BUFFERS = (2048, 4096, 8192)
TOLERANCE = 1e-5


@pytest.fixture(scope="session")
def nn_host(tmp_path_factory) -> Path:
    """The host binary, compiled against the libtorch inside the installed torch wheel (≈ 20 s)."""
    compiler = shutil.which("g++")
    if compiler is None:
        pytest.skip("g++ not found: the C++ nn~ host test needs a C++ compiler (CI installs one)")
    torch_dir = Path(torch.__file__).parent
    binary = tmp_path_factory.mktemp("nn_host") / "nn_host"
    command = [compiler, "-O1", "-std=c++20", str(SOURCE), f"-I{torch_dir / 'include'}",
               f"-I{torch_dir / 'include' / 'torch' / 'csrc' / 'api' / 'include'}", f"-L{torch_dir / 'lib'}",
               "-ltorch", "-ltorch_cpu", "-lc10", f"-Wl,-rpath,{torch_dir / 'lib'}", "-o", str(binary)]
    built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    return binary


def session_plan(specs, attributes: bool):
    """(command, arguments) steps: every method at every buffer size, batch 1 and 2, two or three buffers
    each, with attribute messages in between (applied and refused) and one NaN buffer per method."""
    plan = [("sr", 16000)]
    seed = 0
    for buffer in BUFFERS:
        for spec in specs:
            if buffer % max(spec.in_ratio, spec.out_ratio):
                continue
            for batch in (1, 2):
                for call in range(3):
                    if attributes and call == 1:
                        plan.append(("set", ("nb_steps", str(1 + (seed % 3)))))
                        plan.append(("set", ("guidance_timbre", "99")))  # refused: out of range
                    if attributes and call == 2 and batch == 2:
                        plan.append(("set", ("guidance_structure", "1.5")))
                    seed += 1
                    plan.append(("call", (spec, batch, buffer, seed, call == 1 and batch == 1)))
    return plan


def run_host(binary: Path, model_path: Path, plan, folder: Path):
    """Write the inputs and the script, run the host; returns (status lines, outputs per call)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines, outputs = [], []
    for index, (command, arguments) in enumerate(plan):
        if command == "sr":
            lines.append(f"sr {arguments}")
        elif command == "set":
            lines.append("set " + " ".join(arguments))
        else:
            spec, batch, buffer, seed, nan = arguments
            host = host_input(spec, batch, buffer, seed, nan)
            host.numpy().astype(np.float32).tofile(folder / f"in{index}.f32")
            lines.append(f"call {spec.name} {batch} {buffer} {seed} {folder / f'in{index}.f32'} "
                         f"{folder / f'out{index}.f32'}")
            outputs.append((folder / f"out{index}.f32", (batch, spec.out_channels, buffer)))
    (folder / "script.txt").write_text("\n".join(lines) + "\n")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    done = subprocess.run([str(binary), str(model_path), str(folder / "script.txt")], capture_output=True,
                          text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    status = done.stdout.strip().splitlines()
    read = [torch.from_numpy(np.fromfile(path, dtype=np.float32)).reshape(shape) if path.exists() else None
            for path, shape in outputs]
    return status, read


def host_input(spec, batch, buffer, seed, nan):
    """Channel-major host buffers [in_channels, batch, buffer] (nn~'s layout), NaN in the first half when
    `nan`; voice channels of MIDI methods hold pitches and velocities."""
    generator = torch.Generator().manual_seed(seed)
    x = 0.3 * torch.randn(spec.in_channels, batch, buffer, generator=generator)
    if "pitch" in " ".join(spec.input_labels).lower():
        for channel, label in enumerate(spec.input_labels):
            if "pitch" in label.lower():
                x[channel] = float(torch.randint(30, 90, (1,), generator=generator))
            elif "velocity" in label.lower():
                x[channel] = float(torch.randint(0, 128, (1,), generator=generator))
    if nan:
        x[..., : buffer // 2] = float("nan")
    return x


def python_reference(model_path: Path, plan):
    """The same session through `emulate_host` in this process: status lines and outputs."""
    model = load_ts(model_path)
    status, outputs = [], []
    for command, arguments in plan:
        if command == "sr":
            model.set_sample_rate(arguments)
            status.append(f"ok sr {arguments}")
        elif command == "set":
            name, value = arguments
            cast = int if name == "nb_steps" else float
            result = getattr(model, f"set_{name}")(cast(value))
            status.append(f"{'ok' if result == 0 else 'refused'} set {name} {result}")
        else:
            spec, batch, buffer, seed, nan = arguments
            x = host_input(spec, batch, buffer, seed, nan).permute(1, 0, 2)
            torch.manual_seed(seed)
            outputs.append(emulate_host(model, spec.name, x, spec.in_ratio, spec.out_ratio))
            status.append(f"ok call {spec.name}")
    return status, outputs


def compare(binary, model_path, specs, attributes, folder):
    plan = session_plan(specs, attributes)
    status, got = run_host(binary, model_path, plan, folder)
    assert status[0].split()[:2] == ["ok", "load"] and set(status[0].split()[2:]) >= {s.name for s in specs}
    want_status, want = python_reference(model_path, plan)
    assert status[1:] == want_status
    assert len(got) == len(want) > 0
    for index, (a, b) in enumerate(zip(got, want)):
        assert a is not None and torch.isfinite(a).all(), index
        torch.testing.assert_close(a, b, atol=TOLERANCE, rtol=TOLERANCE, msg=f"call {index}")


@pytest.mark.parametrize("kind", ["audio", "midi"])
def test_after_exports_in_a_cpp_host_match_python(nn_host, tmp_path, kind):
    result = make_live_export(tmp_path / "export", kind)
    meta = result.metadata
    if kind == "audio":
        specs = audio_methods(meta["ratio"], meta["latent_size"], meta["zs"], meta["zt"])
    else:
        specs = midi_methods(meta["ratio"], meta["latent_size"], meta["n_poly"], meta["zt"])
    compare(nn_host, result.path, specs, True, tmp_path / "session")


@pytest.mark.parametrize("file", [OFFLINE_FILE, STREAM_FILE])
def test_codec_exports_in_a_cpp_host_match_python(nn_host, tmp_path, file):
    """`after export_autoencoder`'s files (a small causal codec, random weights)."""
    cfg = load_config(CodecConfig, ["baseAE", "smallAE"], ["model.dilations=[1, 3]"])
    torch.manual_seed(0)
    codec = build_codec(cfg.model).eval()
    paths = export_codec(codec, cfg, tmp_path / "codec")
    compare(nn_host, paths["offline" if file == OFFLINE_FILE else "stream"],
            codec_methods(codec.ratio, codec.latent_size), False, tmp_path / "session")


def test_host_reports_model_errors_like_nn_tilde(nn_host, tmp_path):
    """A method the model lacks and an attribute it does not have are reported, not fatal; a refused value
    is reported as refused; the session goes on."""
    result = make_live_export(tmp_path / "export", "audio")
    spec = audio_methods(2048, 16, result.metadata["zs"], result.metadata["zt"])[0]
    host_input(spec, 1, 2048, 0, False).numpy().tofile(tmp_path / "in.f32")
    script = tmp_path / "script.txt"
    script.write_text(f"set nb_steps 0\nset colour 3\ncall nope 1 2048 0 {tmp_path / 'in.f32'} {tmp_path / 'o.f32'}\n"
                      f"call forward 1 2048 0 {tmp_path / 'in.f32'} {tmp_path / 'o.f32'}\n")
    done = subprocess.run([str(nn_host), str(result.path), str(script)], capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines[1:] == [
        "refused set nb_steps -1", "error set colour: argument name not settable in current model",
        "error call nope: method not found in model", "ok call forward"]
