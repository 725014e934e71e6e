"""Timbre map (PCA projection + PNG) and preset bank of the nn~ exports."""

import io

import numpy as np
import pytest
import torch
from PIL import Image

from after.export.presets import choose_presets
from after.export.timbre_map import fit_timbre_map, render_map_png


def clustered_embeddings(n_labels: int, per_label: int = 40, zt: int = 6, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 2, (n_labels, zt))
    vectors = np.concatenate([c + 0.1 * rng.normal(size=(per_label, zt)) for c in centres])
    labels = [f"inst{i}" for i in range(n_labels) for _ in range(per_label)]
    sources = [f"/data/inst{i}/take{j % 3}.wav" for i in range(n_labels) for j in range(per_label)]
    return vectors, labels, sources


def test_map_is_a_scriptable_invertible_projection():
    vectors, _, _ = clustered_embeddings(3)
    timbre_map = torch.jit.script(fit_timbre_map(vectors))
    z = torch.from_numpy(vectors).float().T[None]  # [1, zt, N]
    xy = timbre_map.to_map(z)
    assert xy.shape == (1, 2, len(vectors))
    assert xy.abs().max() <= 1.0 + 1e-5 and xy.abs().max() > 0.99  # training items span [-1, 1]
    position = torch.rand(4, 2, 16) * 2 - 1
    assert torch.allclose(timbre_map.to_map(timbre_map.from_map(position)), position, atol=1e-5)
    # The plane keeps most of the variance of clustered data: reconstruction error ≪ spread.
    back = timbre_map.from_map(xy)[0].T.numpy()
    assert np.abs(back - vectors).mean() < 0.5 * np.abs(vectors - vectors.mean(0)).mean()


def test_map_handles_one_dimensional_timbre():
    timbre_map = fit_timbre_map(np.linspace(-3, 3, 10)[:, None])
    xy = timbre_map.to_map(torch.tensor([[[3.0, -3.0]]]))
    assert torch.allclose(xy[0, 0], torch.tensor([1.0, -1.0])) and torch.all(xy[0, 1] == 0)


@pytest.mark.parametrize("n_labels", [1, 9])
def test_png_has_one_colour_per_label(n_labels):
    vectors, labels, _ = clustered_embeddings(n_labels)
    timbre_map = fit_timbre_map(vectors)
    xy = timbre_map.to_map(torch.from_numpy(vectors).float().T[None])[0].T.numpy()
    png = render_map_png(xy, labels)
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    assert image.shape == (512, 512, 3)
    # Each label's legend swatch is a distinct solid colour.
    swatches = {tuple(image[8 + 14 * row, 10]) for row in range(n_labels)}
    assert len(swatches) == n_labels


def test_presets_are_named_training_medoids_spread_over_clusters():
    vectors, labels, sources = clustered_embeddings(4)
    xy = np.random.default_rng(1).uniform(-1, 1, (len(vectors), 2))
    presets = choose_presets(vectors, xy, labels, sources, n_presets=4)
    assert len(presets) == 4
    assert {p.label for p in presets} == {"inst0", "inst1", "inst2", "inst3"}  # one per cluster
    for p in presets:
        index = next(i for i, v in enumerate(vectors) if np.allclose(v, p.timbre, atol=1e-5))
        assert p.map == pytest.approx(list(xy[index]), abs=1e-5) and p.source == sources[index]
        assert p.name.startswith(p.label + " take")
    assert len({p.name for p in presets}) == 4
    # More presets than distinct items: one per distinct item.
    assert len(choose_presets(vectors[:3], xy[:3], labels[:3], sources[:3], n_presets=16)) == 3
