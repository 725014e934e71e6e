"""Cleaning and escaping of user-supplied names (model names, preset names, labels, file names).

Names come from users' file names and may hold spaces, `;`, `,`, `$`, `\\`, quotes, braces, non-ASCII or
hundreds of characters. Three targets, three rules:

* `safe_filename`: ASCII letters, digits, `.`, `_`, `-`; never a path separator, never a leading dot.
* `display_name`: text shown inside Max or Pd (comments, menus, preset slots); every character that is
  syntax in either format (`;` `,` `$` `\\` quotes braces brackets) becomes `_`, length is capped.
* `pd_escape`: an atom that must keep its exact characters inside a Pd object box (the model file name),
  escaped the way Pd itself saves it (`\\ `, `\\;`, `\\,`, `\\$`); Pd 0.53 drops backslashes and braces, so
  those are refused.
"""

from __future__ import annotations

import re
import unicodedata

_FILENAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")
_DISPLAY_BAD = re.compile(r"[;,$\\\"'{}\[\]`\x00-\x1f\x7f]+")
_PD_SPECIAL = re.compile(r"([ ;,$])")
_PD_FORBIDDEN = re.compile(r"[{}\\\x00-\x1f\x7f]")


def ascii_fold(text: str) -> str:
    """`Öl é` → `Ol e`: strip accents, drop what has no ASCII form."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def safe_filename(name: str, max_len: int = 80, fallback: str = "model") -> str:
    """A file-name stem that stays inside its folder on every OS and needs no quoting in Max or Pd."""
    stem = _FILENAME_BAD.sub("_", ascii_fold(name)).strip("._-")[:max_len].strip("._-")
    return stem or fallback


def display_name(name: str, max_len: int = 48, fallback: str = "untitled") -> str:
    """Readable text with no Max/Pd syntax characters, ASCII only (Pd 0.53 GUIs and Live menus), capped."""
    text = _DISPLAY_BAD.sub("_", ascii_fold(str(name)))
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) > max_len:
        text = text[: max_len - 3].rstrip() + "..."
    return text or fallback


def pd_symbol(name: str, max_len: int = 48, fallback: str = "untitled") -> str:
    """A Pd symbol with no escapes needed (comments, labels): spaces become `_` as well."""
    return display_name(name, max_len, fallback).replace(" ", "_")


def pd_escape(atom: str) -> str:
    """Escape one atom for a Pd object box so Pd reads it back as the same single symbol.

    Raises ValueError for characters Pd files cannot carry (backslash, braces, control characters).
    """
    if _PD_FORBIDDEN.search(atom):
        raise ValueError(f"{atom!r} contains a backslash, braces or control characters, which Pd patches cannot carry")
    return _PD_SPECIAL.sub(r"\\\1", atom)


def max_quote(atom: str) -> str:
    """Quote one atom for a Max object box text (double quotes; inner quotes and backslashes escaped)."""
    if re.fullmatch(r"[A-Za-z0-9._/~+-]+", atom):
        return atom
    return '"' + atom.replace("\\", "\\\\").replace('"', '\\"') + '"'
