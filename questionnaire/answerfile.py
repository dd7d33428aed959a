"""Read an answers file (YAML or JSON) for the command line."""

from __future__ import annotations

import json
from pathlib import Path

from .yamlsource import YamlError, load_file


class AnswerFileError(Exception):
    """Report an answers file that cannot be read."""


def read_answers_file(path: Path) -> object:
    """Return the raw data in an answers file; bare yes/no in YAML stay text."""
    if not path.is_file():
        raise AnswerFileError(f"{path}: no such file")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AnswerFileError(f"{path}: not valid JSON: {exc}") from exc
    try:
        return load_file(path).data
    except YamlError as exc:
        raise AnswerFileError(str(exc.problem)) from exc


SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"


def sample(name: str) -> dict[str, object]:
    """Return a sample answer file from ``samples/`` as raw answers (for tests, benchmarks and the soak)."""
    data = read_answers_file(SAMPLES_DIR / f"{name}.yaml")
    if not isinstance(data, dict):
        raise AnswerFileError(f"samples/{name}.yaml must map question ids to answers")
    return data
