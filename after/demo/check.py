"""The demo's verdict, from `after eval` reports (judges that are not the model): the codec keeps the notes
and the instrument, the audio→audio transfer keeps the melody and takes the target's instrument, the
MIDI→audio model plays the notes with the target's instrument.

The bars suit the demo's default 10-minute budget on a 2-core CPU; `after demo --minutes 30` (the full CPU
recipe) is judged by the same bars and clears them by a wider margin (README, Status).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

# (report, summary key, bar, what it means). Note F1 bars are fractions of the inputs' own F1 (`note_f1_input`,
# what the transcriber hears in the real clips): it transcribes the General MIDI renders well and the
# synthesized timbres' bells and breaths poorly, so an absolute bar would judge the transcriber, not the model.
# Instrument bars are shares of clips (chance: one instrument).
BARS = (
    ("codec", "note_f1", 0.7, "codec reconstructions keep the notes (basic-pitch F1 against the MIDI)"),
    ("codec", "instrument_accuracy", 0.5, "codec reconstructions keep the instrument (independent classifier)"),
    ("audio", "note_f1", 0.6, "audio→audio transfers keep the melody"),
    ("audio", "target_accuracy", 0.5, "audio→audio transfers sound like the timbre target's instrument"),
    ("midi", "note_f1", 0.6, "MIDI→audio renders play the notes"),
    ("midi", "target_accuracy", 0.5, "MIDI→audio renders sound like the timbre target's instrument"),
)
RELATIVE_KEYS = {"note_f1": "note_f1_input"}
MIN_RMS = 1e-3  # below: silence
ADVICE = ("train longer (`after demo --minutes 30 --force`, or resume the runs with `after train … --resume "
          "--max_time …`), check that the machine is not busy with other work, or try another `--seed`")


@dataclass
class Criterion:
    report: str
    key: str
    bar: float
    value: float
    meaning: str

    @property
    def passed(self) -> bool:
        return self.value >= self.bar


@dataclass
class DemoCheck:
    """Every bar, measured, and the summaries they were read from."""

    criteria: List[Criterion]
    summaries: Dict[str, Dict[str, float]] = field(default_factory=dict)
    silent: List[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.silent and all(c.passed for c in self.criteria)

    def failures(self) -> List[str]:
        lines = [f"{name}: the outputs are silent or not finite (RMS below {MIN_RMS})" for name in self.silent]
        for c in self.criteria:
            if not c.passed:
                lines.append(f"{c.report} {c.key} = {c.value:.2f}, needs ≥ {c.bar:.2f}: {c.meaning}")
        return lines

    def to_dict(self) -> dict:
        return {"passed": self.passed, "failures": self.failures(),
                "criteria": [{**c.__dict__, "passed": c.passed} for c in self.criteria],
                "summaries": self.summaries, "advice": ADVICE}


def check_demo(reports: Dict[str, Path]) -> DemoCheck:
    """Read `eval.json` of each report ("codec", "audio", "midi") and hold them to `BARS`."""
    summaries = {name: json.loads(Path(path).read_text(encoding="utf-8"))["summary"]
                 for name, path in reports.items()}
    criteria = []
    for report, key, factor, meaning in BARS:
        if report not in summaries:
            continue
        summary = summaries[report]
        ceiling = summary.get(RELATIVE_KEYS[key]) if key in RELATIVE_KEYS else None
        bar = factor * float(ceiling) if ceiling is not None else factor
        if ceiling is not None:
            meaning = f"{meaning}; {factor:g} × the inputs' own {float(ceiling):.2f}"
        criteria.append(Criterion(report, key, bar, float(summary.get(key, float("nan"))), meaning))
    for c in criteria:  # a missing or NaN number fails its bar
        if c.value != c.value:
            c.value = float("-inf")
    silent = [name for name, summary in summaries.items()
              if not float(summary.get("output_rms", 0.0)) > MIN_RMS]
    return DemoCheck(criteria, summaries, silent)
