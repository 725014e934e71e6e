"""The wheel must carry every package: pyproject lists them explicitly (the top-level cli/, templates/,
devices/ and presets/ folders are mapped into the `after` namespace), so a new sub-package must be added."""

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject():
    setuptools_cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(setuptools_cfg["packages"])
    mapping = {folder: package for package, folder in setuptools_cfg["package-dir"].items()}
    found = set()
    for init in ROOT.glob("**/__init__.py"):
        rel = init.parent.relative_to(ROOT)
        if rel.parts[0] in ("tests", "bench", ".venv", "build") or rel.parts[0].startswith("."):
            continue
        top = mapping.get(rel.parts[0])
        if top is None:
            continue
        found.add(".".join([top, *rel.parts[1:]]))
    assert found <= listed, f"packages missing from pyproject.toml [tool.setuptools] packages: {sorted(found - listed)}"


def test_example_patches_stay_out_of_the_wheel():
    """patchs/ (checked-in example devices) is repository material, deliberately not shipped: no package maps
    to it and no package data reaches it; an installed kit regenerates them with
    `after-device examples DIR` (after.tools ships)."""
    setuptools_cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {Path(folder).parts[0] for folder in setuptools_cfg["package-dir"].values()}
    assert "patchs" not in folders and not list((ROOT / "patchs").glob("**/__init__.py"))
    assert not [g for globs in setuptools_cfg["package-data"].values() for g in globs if "patchs" in g]
    assert "after.tools" in setuptools_cfg["packages"] and (ROOT / "after" / "tools" / "device_examples.py").is_file()
