"""Domain errors. Every failure a user can cause is an `AfterError` whose message is one line naming the
file, the problem and the fix; the CLI prints it without a traceback and exits non-zero."""

from __future__ import annotations


class AfterError(Exception):
    """A user-facing error: `str(err)` is the whole message (one line)."""

    exit_code = 1


class ConfigError(AfterError):
    """Unknown config key, bad value, or unknown preset."""


class InputError(AfterError):
    """Unreadable, missing or unsuitable input (audio, MIDI, database, model file)."""


class ModelContractError(AfterError):
    """A TorchScript file does not offer what a command needs (e.g. a codec without `encode`)."""


class OutputExistsError(AfterError):
    """The output exists and `--overwrite`/`--force` was not given."""


class QualityCheckError(AfterError):
    """A quality check (the demo's independent judges) found the models below their bars."""

    exit_code = 4


class AfterWarning(UserWarning):
    """Something of the input was left out or replaced and the command goes on (e.g. an attribute a model lists
    but cannot serve): the CLI prints `warning: <message>` (one line) on stderr."""
