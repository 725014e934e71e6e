"""The 2-D timbre map of an export: a linear projection of the timbre space learnt from training-set
embeddings (`latent2map` / `map2latent`) and the PNG of the dataset drawn on it.

The projection is PCA: the two main axes of the embedded training set, scaled so that every training item
lies in [-1, 1]². `from_map` is its exact inverse on the plane (mean + scaled axes), so
`to_map(from_map(xy)) == xy` and a map click always lands on a timbre the model saw in the plane of the data.
"""

import colorsys
import io
from typing import List, Sequence

import numpy as np
import torch
from torch import nn

MAP_IMAGE_SIZE = 512
MAP_EXTENT = 1.2  # the image covers [-MAP_EXTENT, MAP_EXTENT]² in map units


class TimbreMap(nn.Module):
    """Linear 2-D map of a `zt`-dimensional timbre space (scriptable).

    Buffers: `mean` [zt], `axes` [2, zt] (orthonormal rows, zero rows when zt < 2), `scale` [2] (map unit →
    timbre units along each axis).
    """

    mean: torch.Tensor  # buffers (registered in __init__), declared for the type checker
    axes: torch.Tensor
    scale: torch.Tensor

    def __init__(self, mean: torch.Tensor, axes: torch.Tensor, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("mean", mean.float().clone())
        self.register_buffer("axes", axes.float().clone())
        self.register_buffer("scale", scale.float().clone())

    @torch.jit.export
    def to_map(self, timbre: torch.Tensor) -> torch.Tensor:
        """timbre [B, zt, T] → map position [B, 2, T] (training items fall in [-1, 1])."""
        centred = timbre - self.mean[None, :, None]
        return torch.einsum("kc,bct->bkt", self.axes, centred) / self.scale[None, :, None]

    @torch.jit.export
    def from_map(self, position: torch.Tensor) -> torch.Tensor:
        """map position [B, 2, T] → timbre [B, zt, T] on the plane of the two main axes."""
        scaled = position * self.scale[None, :, None]
        return torch.einsum("kc,bkt->bct", self.axes, scaled) + self.mean[None, :, None]


def fit_timbre_map(embeddings: np.ndarray) -> TimbreMap:
    """PCA of `embeddings` [N, zt] (N ≥ 1) → a `TimbreMap` whose training items span [-1, 1] per axis."""
    data = np.asarray(embeddings, dtype=np.float64)
    n, zt = data.shape
    mean = data.mean(axis=0)
    centred = data - mean
    # Right singular vectors = principal axes; fewer than 2 when zt < 2 or all items coincide.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = np.zeros((2, zt))
    k = min(2, vt.shape[0])
    axes[:k] = vt[:k]
    coords = centred @ axes.T  # [N, 2]
    scale = np.abs(coords).max(axis=0)
    scale = np.where(scale > 1e-6, scale, 1.0)
    return TimbreMap(torch.from_numpy(mean), torch.from_numpy(axes), torch.from_numpy(scale))


def label_colours(n: int) -> List[tuple]:
    """`n` distinct RGB colours (golden-angle hues, alternating lightness): any number of labels."""
    out = []
    for i in range(n):
        hue = (i * 0.381966) % 1.0
        lightness = 0.45 if i % 2 == 0 else 0.6
        r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.75)
        out.append((int(r * 255), int(g * 255), int(b * 255)))
    return out


def _to_pixels(points: np.ndarray, size: int) -> np.ndarray:
    """Map coordinates [N, 2] → integer pixel coordinates (x right, y up on screen)."""
    unit = (points + MAP_EXTENT) / (2 * MAP_EXTENT)
    px = np.clip(np.round(unit[:, 0] * (size - 1)), 0, size - 1)
    py = np.clip(np.round((1.0 - unit[:, 1]) * (size - 1)), 0, size - 1)
    return np.stack([px, py], axis=1).astype(int)


def render_map_png(positions: np.ndarray, labels: Sequence[str], size: int = MAP_IMAGE_SIZE) -> bytes:
    """Draw the dataset on the map: one blurred density per label in its own colour, the items as dots, the
    unit square and axes, and a legend. positions: [N, 2] map coordinates; labels: N names. Returns PNG bytes.
    """
    from PIL import Image, ImageDraw
    from scipy.ndimage import gaussian_filter

    names = sorted(set(labels))
    colours = label_colours(len(names))
    pixels = _to_pixels(np.asarray(positions, dtype=np.float64).reshape(-1, 2), size)
    label_index = np.array([names.index(lab) for lab in labels], dtype=int)
    canvas = np.full((size, size, 3), 236.0)
    for i, colour in enumerate(colours):
        hist = np.zeros((size, size))
        sel = pixels[label_index == i]
        np.add.at(hist, (sel[:, 1], sel[:, 0]), 1.0)
        density = gaussian_filter(hist, sigma=size / 40)
        if density.max() > 0:
            density = (density / density.max()) ** 0.5
        alpha = 0.75 * density[..., None]
        canvas = canvas * (1 - alpha) + np.array(colour, dtype=np.float64) * alpha
    image = Image.fromarray(canvas.clip(0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    lo, hi = _to_pixels(np.array([[-1.0, -1.0], [1.0, 1.0]]), size)
    draw.rectangle([lo[0], hi[1], hi[0], lo[1]], outline=(150, 150, 150))
    centre = _to_pixels(np.zeros((1, 2)), size)[0]
    draw.line([lo[0], centre[1], hi[0], centre[1]], fill=(200, 200, 200))
    draw.line([centre[0], hi[1], centre[0], lo[1]], fill=(200, 200, 200))
    for (x, y), i in zip(pixels, label_index):
        draw.ellipse([x - 2, y - 2, x + 2, y + 2], fill=tuple(int(c * 0.7) for c in colours[i]))
    for row, (name, colour) in enumerate(zip(names, colours)):
        y = 6 + 14 * row
        draw.rectangle([6, y, 16, y + 10], fill=colour)
        draw.text((20, y - 1), name[:40], fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
