"""Embed training-set items with the timbre encoder (for the timbre map and the preset bank)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Sequence

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

from after.errors import InputError

MAX_ITEMS_PER_DATASET = 3000


@dataclass(frozen=True)
class DatasetEmbeddings:
    """`vectors` [N, zt] timbre embeddings; `labels` / `sources`: N strings (dataset label, source file)."""

    vectors: np.ndarray
    labels: List[str]
    sources: List[str]


def embed_datasets(db_paths: Sequence[str | Path], timbre_encoder: nn.Module, latent_size: int,
                   n_frames: int = 128, max_items: int = MAX_ITEMS_PER_DATASET,
                   batch_size: int = 32) -> DatasetEmbeddings:
    """Embed the first `n_frames` latent frames of up to `max_items` records per database (evenly spaced, so
    the result is deterministic). Records need latents of `latent_size` channels (the export's codec)."""
    from after.data.store import DatabaseReader

    vectors: List[np.ndarray] = []
    labels: List[str] = []
    sources: List[str] = []
    for db_path in db_paths:
        reader = DatabaseReader(db_path)
        shape = reader.info.latent_shape
        if not reader.info.has_latents or shape is None:
            raise InputError(f"{db_path}: the dataset has no latents; run `after prepare_dataset "
                             f"--emb_model_path CODEC.ts` first")
        if shape[0] != latent_size:
            raise InputError(f"{db_path}: latents have {shape[0]} channels but the codec has {latent_size}; give "
                             f"the dataset encoded with this codec")
        count = min(len(reader), max_items)
        if count == 0:
            raise InputError(f"{db_path}: the dataset is empty; prepare it again with some audio")
        indices = np.unique(np.linspace(0, len(reader) - 1, count).round().astype(int))
        for start in tqdm(range(0, len(indices), batch_size), desc=f"embedding {Path(db_path).name}",
                          unit="batch", leave=False):
            records = [reader[int(i)] for i in indices[start:start + batch_size]]
            # every record has latents: `has_latents` was checked above
            z = torch.from_numpy(np.stack([np.asarray(r.latents)[:, :n_frames] for r in records])).float()
            with torch.inference_mode():
                vectors.append(timbre_encoder(z).numpy())
            for record in records:
                labels.append(str(record.metadata.get("label") or Path(db_path).name))
                sources.append(str(record.metadata.get("source", "")))
    return DatasetEmbeddings(np.concatenate(vectors).astype(np.float64), labels, sources)
