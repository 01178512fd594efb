"""Where the files that are not Python live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def source_directory(name: str) -> Path:
    """A folder that sits beside the package in a checkout and inside it in an installed wheel."""
    shipped = PACKAGE_DIR / name
    return shipped if shipped.is_dir() else PACKAGE_DIR.parent / name
