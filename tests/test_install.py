"""A non-editable install into a fresh venv exposes working `after` and `after-device` commands that find the
shipped presets, templates and device definitions from outside the source tree.

Approach (offline, never downloads torch):
1. copy the project sources (no .venv, .git or build outputs) to a temporary folder, so the build leaves
   nothing in the working tree;
2. create a fresh venv without pip (`python -m venv --without-pip`);
3. make the dependencies of the current environment visible to it with a `.pth` file that lists the current
   site-packages folder (a plain path line: `.pth` files inside that folder, such as an editable install of
   this project, are NOT processed, so the only `after` the fresh venv can import is the one installed in
   step 4);
4. `pip --python <fresh python> install --no-deps --no-build-isolation --no-index <copy>` (the current pip
   acting on the fresh venv; the build backend is the current setuptools seen through the `.pth`): a real
   wheel build and non-editable install into the fresh venv's site-packages;
5. from a temporary working directory, run `after --help`, `after-device --help`, a real
   `after prepare_dataset`, and check that `after` is imported from the fresh venv and that every shipped data
   file (config presets, templates, devices, presets) is present there.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
                                 "runs", "out", "after_runs", "autoencoder_runs")
DATA_PACKAGES = {"after.templates": ROOT / "templates", "after.devices": ROOT / "devices",
                 "after.presets": ROOT / "presets", "after": ROOT / "after" / "configs"}


LIST_RESOURCES = """
import json, sys
from importlib import resources
from pathlib import Path

out = {}
for package in sys.argv[1:]:
    root = Path(str(resources.files(package)))
    if package == "after":
        root = root / "configs"
    out[package] = [str(root), sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())]
print(json.dumps(out))
"""


def shipped_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.suffix != ".pyc" and "__pycache__" not in p.parts and not p.name.startswith(".")}


def test_non_editable_install_in_fresh_venv(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=IGNORED)
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    fresh_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                check=True, capture_output=True, text=True).stdout.strip()
    (Path(fresh_site) / "after_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                              "--no-build-isolation", "--no-index", str(source)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]

    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    main_help = run(venv / "bin" / "after", "--help")
    assert main_help.returncode == 0, main_help.stderr
    for command in ("prepare_dataset", "update_dataset", "train_autoencoder", "export_autoencoder", "train",
                    "export", "export_midi", "transfer", "bench", "demo"):
        assert command in main_help.stdout
    device_help = run(venv / "bin" / "after-device", "--help")
    assert device_help.returncode == 0, device_help.stderr
    assert all(command in device_help.stdout for command in ("build", "inspect", "validate"))

    where = run(python, "-c", "import after, sys; print(after.__file__)")
    assert where.stdout.strip().startswith(fresh_site), where.stdout + where.stderr
    lister = tmp_path / "list_resources.py"
    lister.write_text(LIST_RESOURCES)
    listed = run(python, lister, *DATA_PACKAGES)
    assert listed.returncode == 0, listed.stderr
    listing = json.loads(listed.stdout)
    for package, (root, files) in listing.items():
        assert root.startswith(fresh_site), (package, root)
        folder = DATA_PACKAGES[package]
        assert shipped_files(folder) <= set(files), (package, shipped_files(folder) - set(files))
    presets = run(python, "-c", "from after.config import available_presets; print(available_presets())")
    assert "base" in presets.stdout, presets.stderr
    table = run(python, "-c", "from after.nn_tilde.compat import nn_tilde_schemas_path as p, nn_tilde_schemas as t; "
                              "print(p(), len(t().schemas))")  # the libtorch 2.5.1 table the exports are checked with
    assert table.returncode == 0 and table.stdout.startswith(fresh_site) and int(table.stdout.split()[-1]) > 4000, \
        table.stdout + table.stderr

    (cwd / "audio").mkdir()
    t = np.arange(32000) / 16000
    sf.write(cwd / "audio" / "a.wav", 0.5 * np.sin(2 * np.pi * 220 * t), 16000)
    prepared = run(venv / "bin" / "after", "prepare_dataset", "--input_path", "audio", "--output_path", "db",
                   "--num_signal", "16384", "--sample_rate", "16000", "--num_multiprocesses", "1")
    assert prepared.returncode == 0, prepared.stderr
    assert "chunks written: 2" in prepared.stdout
