"""Safe YAML reading: core types only, positions kept, dangerous input refused."""

from __future__ import annotations

import pytest

from questionnaire.yamlsource import MAX_DEPTH, MAX_FILE_BYTES, YamlError, load_bytes


def load(text: str):
    return load_bytes(text.encode(), "f.yaml")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a: yes", "yes"),
        ("a: no", "no"),
        ("a: on", "on"),
        ("a: Off", "Off"),
        ("a: 1_2", "1_2"),
        ("a: 18_29", "18_29"),
        ("a: 2026-11-22", "2026-11-22"),
        ("a: true", True),
        ("a: false", False),
        ("a: 3", 3),
        ("a: -2", -2),
        ("a: 0.5", 0.5),
        ("a: ~", None),
        ("a:", None),
        ("a: null", None),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core(source: str, expected: object) -> None:
    assert load(source).data == {"a": expected}


def test_positions_point_at_each_value_and_key() -> None:
    doc = load("top:\n  - id: one\n    items: [a, b]\n  - id: two\n")
    assert doc.where(("top", 0, "id")) == (2, 9)
    assert doc.where(("top", 0, "items", 1)) == (3, 16)
    assert doc.where(("top", 1, "id"), key=True) == (4, 5)
    assert doc.where(("top", 1, "missing")) == (4, 5)


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("a: &x [1]\nb: *x\n", 2, "anchors and aliases"),
        (
            "a: !!python/object:os.system echo\n",
            1,
            "the tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
        ),
        ("a: !!python/name:os.system\n", 1, "is not allowed"),
        ("x: 1\na: !!binary aGVsbG8=\n", 2, "is not allowed"),
        ("a: 1\nb: 2\na: 3\n", 3, "the key 'a' appears twice"),
        ("a: [1, 2\nb: 3\n", 1, "the '[' opened here is never closed"),
        ("a:\n\t- b\n", 2, "indented with a tab"),
        ("a: b\nc: ? d\n", 2, "this is not valid YAML"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", 3, "anchors and aliases"),
        ("? [a, b]\n: 1\n", 1, "a key must be a plain word"),
    ],
)
def test_dangerous_or_broken_yaml_is_refused_with_a_line(source: str, line: int, fragment: str) -> None:
    with pytest.raises(YamlError) as info:
        load(source)
    problem = info.value.problem
    assert problem.file == "f.yaml"
    assert problem.line == line
    assert fragment in problem.message


def test_alias_bomb_is_refused_quickly() -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    with pytest.raises(YamlError) as info:
        load("\n".join(bomb))
    assert "anchors and aliases" in info.value.problem.message


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlError) as info:
        load("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert "nesting is deeper" in info.value.problem.message


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * i}k{i}:\n" for i in range(MAX_DEPTH + 3)) + "  " * (MAX_DEPTH + 3) + "v\n"
    with pytest.raises(YamlError) as info:
        load(text)
    assert "nesting is deeper" in info.value.problem.message


def test_huge_file_is_refused() -> None:
    with pytest.raises(YamlError) as info:
        load_bytes(b"a: " + b"x" * MAX_FILE_BYTES, "big.yaml")
    assert "the limit is" in info.value.problem.message


def test_non_utf8_is_refused_with_its_line() -> None:
    with pytest.raises(YamlError) as info:
        load_bytes(b"a: 1\nb: \xff\n", "f.yaml")
    assert info.value.problem.line == 2
    assert "UTF-8" in info.value.problem.message


def test_empty_file_is_none() -> None:
    assert load("").data is None
