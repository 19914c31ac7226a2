"""The fixed words of a briefing per language, from `labels/<lang>.yaml` on the template search path."""

from __future__ import annotations

from pathlib import Path

from reports.errors import Problem, ProblemCollector, TemplateError
from reports.readers import load_yaml, read_text


def load_labels(lang: str, template_dirs: list[Path]) -> dict[str, str]:
    """Built-in words, overridden key by key by the same file in an earlier folder of the search path."""
    labels: dict[str, str] = {}
    problems = ProblemCollector()
    found = False
    for folder in reversed(template_dirs):
        path = folder / "labels" / f"{lang}.yaml"
        if not path.exists():
            continue
        found = True
        text = read_text(path, str(path), problems)
        doc = load_yaml(text, str(path), problems) if text is not None else None
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            problems.add(str(path), 1, "labels", "must be a mapping of label names to text")
            continue
        for key, value in doc.data.items():
            if isinstance(value, str):
                labels[str(key)] = value
            else:
                problems.add(str(path), doc.line(key), str(key), "must be text")
    if not found:
        raise TemplateError(Problem("reports", None, "lang", f"no labels for language '{lang}' (labels/{lang}.yaml)"))
    problems.raise_if_any(TemplateError)
    return labels
