"""A deeply nested YAML file gets one message of ours, whichever layer notices the nesting first: libyaml's scanner
(flow style on one line), PyYAML's composer (block style), or the depth limit of our own loader."""

from __future__ import annotations

import pytest

from reports.dossier.readers import MAX_YAML_DEPTH, load_yaml
from reports.errors import ProblemCollector


def nested_block(levels: int) -> str:
    return "".join(f"{'  ' * level}k{level}:\n" for level in range(levels)) + f"{'  ' * levels}leaf\n"


SHAPES = {
    "flow, one line, beyond libyaml's own limit": "key: " + "[" * 5000 + "]" * 5000 + "\n",
    "flow, one line, under libyaml's limit": "key: " + "[" * (MAX_YAML_DEPTH + 5) + "]" * (MAX_YAML_DEPTH + 5) + "\n",
    "block mappings": nested_block(MAX_YAML_DEPTH + 5),
    "block sequences, deep enough for Python's recursion limit": "".join(f"{'  ' * i}- \n" for i in range(3000)) + "x\n",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_a_deeply_nested_file_is_one_problem_of_ours(text: str) -> None:
    problems = ProblemCollector()
    assert load_yaml(text, "deep.yaml", problems) is None
    assert [(p.path, p.line, p.field, p.message) for p in problems.problems] == [
        ("deep.yaml", None, "yaml", "is nested too deeply")
    ]


def test_nesting_within_the_limit_loads() -> None:
    problems = ProblemCollector()
    document = load_yaml(nested_block(MAX_YAML_DEPTH - 2), "deep.yaml", problems)
    assert problems.problems == [] and document is not None
    assert "k0" in document.data


def test_other_yaml_errors_keep_their_line_and_reason() -> None:
    problems = ProblemCollector()
    assert load_yaml("a: 1\nb: [1, 2\n", "broken.yaml", problems) is None
    [problem] = problems.problems
    assert (problem.path, problem.field) == ("broken.yaml", "yaml")
    assert problem.message.startswith("is not valid YAML (") and problem.line == 3
