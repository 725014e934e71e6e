"""Command-line interface: `after` and `after-device` (click). Commands parse arguments, call the library
and map `AfterError`s to one-line messages and exit codes."""
