"""The preset bank of an export: K representative timbres of the training set.

Items are clustered with k-means in the timbre space; each preset is the *medoid* of its cluster (the real
training item closest to the cluster centre), so every preset is a timbre the model was trained on. Names come
from the item's label and source file; the bank goes into the export metadata (`presets`) and a sidecar
`<export>.presets.json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, List, Sequence

import numpy as np

DEFAULT_N_PRESETS = 16


@dataclass(frozen=True)
class TimbrePreset:
    """One preset: `timbre` [zt] floats, its `map` position [x, y], the `source` file and dataset `label`."""

    name: str
    timbre: List[float]
    map: List[float]
    source: str
    label: str

    def to_dict(self) -> Dict[str, object]:
        return asdict(self)


def choose_presets(embeddings: np.ndarray, positions: np.ndarray, labels: Sequence[str], sources: Sequence[str],
                   n_presets: int = DEFAULT_N_PRESETS, seed: int = 0) -> List[TimbrePreset]:
    """Pick up to `n_presets` medoids of a k-means clustering of `embeddings` [N, zt].

    positions: [N, 2] map coordinates of the items; labels/sources: N strings. Presets are ordered by map
    angle (so neighbouring slots sound alike) and named "<label> <source stem>" made unique with a number.
    """
    from sklearn.cluster import KMeans

    data = np.asarray(embeddings, dtype=np.float64)
    unique = np.unique(data, axis=0)
    k = max(1, min(n_presets, len(unique)))
    kmeans = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(data)
    medoids = []
    for cluster in range(k):
        members = np.flatnonzero(kmeans.labels_ == cluster)
        if len(members) == 0:
            continue
        dist = np.linalg.norm(data[members] - kmeans.cluster_centers_[cluster], axis=1)
        medoids.append(int(members[np.argmin(dist)]))
    medoids.sort(key=lambda i: float(np.arctan2(positions[i][1], positions[i][0])))
    presets: List[TimbrePreset] = []
    used: Dict[str, int] = {}
    for index in medoids:
        base = " ".join(part for part in (labels[index], Path(sources[index]).stem) if part) or "preset"
        used[base] = used.get(base, 0) + 1
        name = base if used[base] == 1 else f"{base} {used[base]}"
        presets.append(TimbrePreset(name, [round(float(v), 6) for v in data[index]],
                                    [round(float(v), 6) for v in positions[index]], str(sources[index]),
                                    str(labels[index])))
    return presets
