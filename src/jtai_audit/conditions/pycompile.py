"""Compile a type-checked rule-engine syntax tree into a plain Python function.

rule-engine stays the parser and type checker (so authors get its errors), but walking
its tree for every case costs about 0.5 ms a condition: over a 100,000-case caseload
that dominates the run. The generated code uses only the operators below, with literal
values written by `repr`; anything else falls back to rule-engine's own evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rule_engine.ast import (
    ArithmeticComparisonExpression,
    ArrayExpression,
    BooleanExpression,
    ComparisonExpression,
    ContainsExpression,
    FloatExpression,
    FunctionCallExpression,
    GetAttributeExpression,
    LogicExpression,
    NullExpression,
    StringExpression,
    SymbolExpression,
    TernaryExpression,
    UnaryExpression,
)

_COMPARE = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


class Unsupported(Exception):
    """A node the compiler does not translate; the caller keeps rule-engine's evaluation."""


def _literal(value: Any) -> str:
    if isinstance(value, Decimal):
        return repr(float(value))
    if isinstance(value, str | bool | int | float) or value is None:
        return repr(value)
    raise Unsupported(type(value).__name__)


def _source(node: Any, params: Mapping[str, Any]) -> str:
    if isinstance(node, LogicExpression):
        op = "and" if node.type == "and" else "or"
        return f"({_source(node.left, params)} {op} {_source(node.right, params)})"
    if isinstance(node, ComparisonExpression) and node.type in _COMPARE:
        left, right = _source(node.left, params), _source(node.right, params)
        return f"({left} {_COMPARE[node.type]} {right})"
    if isinstance(node, ArithmeticComparisonExpression) and node.type in _COMPARE:
        left, right = _source(node.left, params), _source(node.right, params)
        return f"({left} {_COMPARE[node.type]} {right})"
    if isinstance(node, UnaryExpression) and node.type == "not":
        return f"(not {_source(node.right, params)})"
    if isinstance(node, ContainsExpression):
        return f"({_source(node.member, params)} in {_source(node.container, params)})"
    if isinstance(node, TernaryExpression):
        return (f"({_source(node.case_true, params)} if {_source(node.condition, params)} "
                f"else {_source(node.case_false, params)})")
    if isinstance(node, GetAttributeExpression) and node.name == "length" and not node.safe:
        return f"len({_source(node.object, params)})"
    if isinstance(node, FunctionCallExpression) and isinstance(node.function, SymbolExpression):
        arguments = ", ".join(_source(a, params) for a in node.arguments)
        return f"_fn[{node.function.name!r}]({arguments})"
    if isinstance(node, SymbolExpression):
        if node.scope == "built-in":
            if node.name not in params:
                raise Unsupported(node.name)
            return _literal(params[node.name])
        return f"_v[{node.name!r}]"
    if isinstance(node, ArrayExpression):
        return "(" + "".join(f"{_source(m, params)}, " for m in node.value) + ")"
    if isinstance(node, StringExpression | FloatExpression | BooleanExpression | NullExpression):
        return _literal(node.value)
    raise Unsupported(type(node).__name__)


def compile_python(node: Any, params: Mapping[str, Any],
                   functions: Mapping[str, Callable[..., Any]]) -> Callable[[Mapping[str, Any]],
                                                                          bool] | None:
    """A function of the case's values equivalent to the tree, or None when not translatable."""
    try:
        body = _source(node, params)
    except Unsupported:
        return None
    namespace: dict[str, Any] = {"__builtins__": {"len": len, "bool": bool},
                                 "_fn": dict(functions)}
    exec(f"def condition(_v):\n    return bool({body})\n", namespace)
    compiled: Callable[[Mapping[str, Any]], bool] = namespace["condition"]
    return compiled
