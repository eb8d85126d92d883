"""Rule conditions: rule-engine expressions compiled once against the declared fields.

Compiling against a typed context means an unknown field or a type error fails when the
rubric loads, not mid-audit. rule-engine does not follow guards such as `x != null and
x < 4`, so `null_safety_problems` walks the syntax tree and rejects a nullable field in
a position that would raise at evaluation time unless a guard has ruled null out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import rule_engine
from rule_engine import DataType
from rule_engine.ast import (
    ArithmeticComparisonExpression,
    ComparisonExpression,
    ContainsExpression,
    FunctionCallExpression,
    LogicExpression,
    NullExpression,
    SymbolExpression,
    TernaryExpression,
    UnaryExpression,
)

from ..hints import did_you_mean
from ..schema import DateRange, FieldSpec, Lexicon, ParamValue
from . import calendar
from .phrases import mentions as lexicon_mentions
from .pycompile import compile_python

MAX_NESTING = 40
MAX_LENGTH = 4000
UTC = dt.UTC

_TYPES: dict[str, Any] = {
    "id": DataType.STRING, "label": DataType.STRING, "text": DataType.STRING,
    "answer": DataType.STRING, "yes_no": DataType.STRING, "choice": DataType.STRING,
    "integer": DataType.FLOAT, "date": DataType.DATETIME,
    "list": DataType.ARRAY(DataType.STRING),
}
FUNCTIONS = ("working_days", "next_school_day", "mentions")
# The parameter whose date ranges `$next_school_day` skips (a list: not usable in conditions).
SCHOOL_CLOSURES = "school_closures"


class ExpressionProblem(Exception):
    """A condition that cannot be used; `token` is the text it is about, to find its column."""

    def __init__(self, message: str, token: str | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.token = token
        self.offset = offset


@dataclass(frozen=True)
class Compiled:
    """A compiled condition and what it reads (fields for caching and evidence, lexicons)."""

    text: str
    rule: Any
    fields: frozenset[str]
    lexicons: tuple[str, ...]
    python: Callable[[Mapping[str, Any]], bool] | None = None

    def __call__(self, values: Mapping[str, Any]) -> bool:
        if self.python is not None:
            return self.python(values)
        return bool(self.rule.matches(values))

    def slow(self, values: Mapping[str, Any]) -> bool:
        """rule-engine's own evaluation, which the compiled function must always agree with."""
        return bool(self.rule.matches(values))


@dataclass(frozen=True)
class SilentReading(Compiled):
    """A condition in which a null cell of some fields reads as a given answer.

    A rule's `silent_reads`: in `applies` and in the judgement, a silent cell (`Not recorded`,
    an `N/A` its field does not allow) is null, and here it reads as the rule's answer. For
    `met` and `partly` those fields are left out of `fields`, so the engine does not try every
    answer a silent cell could hold; an unanswered (blank) cell is still tried with each.
    """

    inner: Compiled | None = None
    readings: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def wrap(cls, inner: Compiled, readings: Mapping[str, Any], judged: bool) -> SilentReading:
        fields = inner.fields - set(readings) if judged else inner.fields
        return cls(inner.text, inner.rule, fields, inner.lexicons, None, inner,
                   tuple(readings.items()))

    def _read(self, values: Mapping[str, Any]) -> Mapping[str, Any]:
        if all(values.get(name) is not None for name, _ in self.readings):
            return values
        trial = dict(values)
        for name, value in self.readings:
            if trial.get(name) is None:
                trial[name] = value
        return trial

    def __call__(self, values: Mapping[str, Any]) -> bool:
        assert self.inner is not None
        return self.inner(self._read(values))

    def slow(self, values: Mapping[str, Any]) -> bool:
        assert self.inner is not None
        return self.inner.slow(self._read(values))


def to_engine_value(value: Any) -> Any:
    """Python value of a typed cell, as rule-engine wants it (dates as UTC datetimes)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


def _day(value: dt.datetime) -> dt.date:
    return value.date()


class Environment:
    """The typed context for one rubric: fields as symbols, params and functions as `$` builtins."""

    def __init__(self, fields: Mapping[str, FieldSpec], params: Mapping[str, ParamValue],
                 lexicons: Mapping[str, Lexicon]) -> None:
        self.fields = dict(fields)
        self.params = dict(params)
        self.lexicons = dict(lexicons)
        closures = params.get(SCHOOL_CLOSURES)
        self.closures: calendar.Closures = tuple(
            (c.start, c.end) for c in closures if isinstance(c, DateRange)) \
            if isinstance(closures, list) else ()
        types = {name: _TYPES[spec.type] for name, spec in fields.items()}
        self._type_resolver = rule_engine.type_resolver_from_dict(types)
        scalars = {name: v for name, v in params.items() if not isinstance(v, list)}
        values: dict[str, Any] = {name: self._param_value(v) for name, v in scalars.items()}
        value_types: dict[str, Any] = {name: _param_type(v) for name, v in scalars.items()}
        values.update(self._functions())
        value_types.update({
            "working_days": DataType.FUNCTION(
                "working_days", return_type=DataType.FLOAT,
                argument_types=(DataType.DATETIME, DataType.DATETIME)),
            "next_school_day": DataType.FUNCTION("next_school_day", return_type=DataType.DATETIME,
                                                 argument_types=(DataType.DATETIME,)),
            "mentions": DataType.FUNCTION("mentions", return_type=DataType.BOOLEAN,
                                          argument_types=(DataType.STRING, DataType.STRING)),
        })
        self._builtins = (values, value_types)

    @staticmethod
    def _param_value(value: ParamValue) -> Any:  # a scalar: lists never reach conditions
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    def _functions(self) -> dict[str, Callable[..., Any]]:
        lexicons = self.lexicons
        closures = self.closures

        def working_days(start: dt.datetime, end: dt.datetime) -> float:
            return float(calendar.working_days_between(_day(start), _day(end)))

        def next_school_day(day: dt.datetime) -> dt.datetime:
            return to_engine_value(  # type: ignore[no-any-return]
                calendar.next_school_day(_day(day), closures))

        phrases = {name: (tuple(lexicon.phrases), tuple(lexicon.exclusions))
                   for name, lexicon in lexicons.items()}

        def mentions(text: str, lexicon: str) -> bool:
            return lexicon_mentions(text, *phrases[lexicon])

        return {"working_days": working_days, "next_school_day": next_school_day,
                "mentions": mentions}

    def context(self) -> Any:
        """A fresh rule-engine context: its `symbols` set belongs to one expression."""
        ctx = rule_engine.Context(type_resolver=self._type_resolver, default_timezone="utc",
                                  mapping_attribute_lookup=False)
        values, value_types = self._builtins
        ctx.builtins = rule_engine.builtins.Builtins.from_defaults(
            values=values, value_types=value_types, timezone=UTC)
        return ctx

    def compile(self, text: str) -> Compiled:
        """Parse and type-check one condition; `ExpressionProblem` names the offending token."""
        _check_shape(text)
        try:
            rule = rule_engine.Rule(text, context=self.context())
        except rule_engine.errors.RuleSyntaxError as exc:
            token = getattr(exc, "token", None)
            offset = getattr(token, "lexpos", None) if token is not None else len(text)
            near = f" near '{token.value}'" if token is not None else " at the end"
            raise ExpressionProblem(f"syntax error in condition{near}", offset=offset) from None
        except rule_engine.errors.SymbolResolutionError as exc:
            raise self._unknown(exc.symbol_name, exc.symbol_scope) from None
        except rule_engine.errors.FunctionCallError as exc:
            raise ExpressionProblem(f"type error: {exc.message} calling ${exc.function_name}",
                                    token=exc.function_name) from None
        except rule_engine.errors.EngineError as exc:
            message = getattr(exc, "message", str(exc))
            raise ExpressionProblem(
                f"type error: {message} (answers and choices are text such as 'Yes', "
                "integers are numbers, dates are compared with dates)") from None
        statement = rule.statement.expression
        fields, lexicon_names, builtins = _reads(statement, self.lexicons)
        scalars = {n for n, v in self.params.items() if not isinstance(v, list)}
        for name in sorted(builtins - scalars - set(FUNCTIONS)):
            raise self._unknown(name, "built-in")
        problems = null_safety_problems(statement, self._nullable())
        if problems:
            name = problems[0]
            raise ExpressionProblem(
                f"'{name}' can be blank and is used without a guard "
                f"(write '{name} != null and ...')", token=name)
        python = compile_python(statement, self._builtins[0], self._builtins[0])
        return Compiled(text, rule, frozenset(fields), tuple(lexicon_names), python)

    def python(self, node: Any) -> Callable[[Mapping[str, Any]], bool] | None:
        """A sub-expression of a compiled condition as a yes/no Python function (an atom)."""
        return compile_python(node, self._builtins[0], self._builtins[0])

    def _nullable(self) -> set[str]:
        return {name for name, spec in self.fields.items() if spec.type != "list"}

    def _unknown(self, name: str, scope: str | None) -> ExpressionProblem:
        if scope == "built-in":
            known = [*self.params, *FUNCTIONS]
            hint = did_you_mean(name, known)
            return ExpressionProblem(f"unknown parameter or function '${name}'{hint}", token=name)
        hint = did_you_mean(name, list(self.fields))
        return ExpressionProblem(f"unknown field '{name}'{hint}", token=name)


def _param_type(value: ParamValue) -> Any:
    if isinstance(value, bool):
        return DataType.BOOLEAN
    if isinstance(value, int | float):
        return DataType.FLOAT
    return DataType.STRING


def _check_shape(text: str) -> None:
    """Refuse hostile conditions before the parser sees them (deep nesting recurses in Python)."""
    depth = deepest = 0
    for char in text:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise ExpressionProblem(f"condition nested more than {MAX_NESTING} deep")
    if len(text) > MAX_LENGTH:
        raise ExpressionProblem(f"condition longer than {MAX_LENGTH} characters")
    if len(re.findall(r"\bnot\b", text)) > MAX_NESTING:
        raise ExpressionProblem(f"condition with more than {MAX_NESTING} 'not'")


def children(node: Any) -> list[Any]:
    """The sub-expressions of a syntax-tree node (operands, arguments, array members)."""
    out = []
    for slot in ("left", "right", "condition", "case_true", "case_false", "container", "member",
                 "object", "item", "function", "expression", "iterable", "result", "start", "stop"):
        child = getattr(node, slot, None)
        if child is not None and hasattr(child, "evaluate"):
            out.append(child)
    for child in getattr(node, "arguments", None) or ():
        out.append(child)
    value = getattr(node, "value", None)
    if isinstance(value, tuple | list):
        out.extend(v for v in value if hasattr(v, "evaluate"))
    return out


def _reads(node: Any, lexicons: Mapping[str, Lexicon]) -> tuple[set[str], list[str], set[str]]:
    fields: set[str] = set()
    builtins: set[str] = set()
    used: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, SymbolExpression) and current.scope != "built-in":
            fields.add(current.name)
        elif isinstance(current, SymbolExpression):
            builtins.add(current.name)
        if isinstance(current, FunctionCallExpression) and _function_name(current) == "mentions":
            arguments = list(current.arguments)
            name = getattr(arguments[1], "value", None) if len(arguments) == 2 else None
            if not isinstance(name, str) or name not in lexicons:
                hint = did_you_mean(str(name), list(lexicons))
                raise ExpressionProblem(
                    f"$mentions needs a declared lexicon name as its second argument, "
                    f"not '{name}'{hint}", token=str(name))
            used.append(name)
        stack.extend(children(current))
    return fields, used, builtins


def _function_name(node: Any) -> str | None:
    function = getattr(node, "function", None)
    return function.name if isinstance(function, SymbolExpression) else None


def _symbol(node: Any) -> str | None:
    if isinstance(node, SymbolExpression) and node.scope != "built-in":
        return str(node.name)
    return None


def _true_facts(node: Any) -> set[str]:
    """Fields known not to be null when `node` is true."""
    if isinstance(node, LogicExpression):
        left, right = _true_facts(node.left), _true_facts(node.right)
        return left | right if node.type == "and" else left & right
    if isinstance(node, UnaryExpression) and node.type == "not":
        return _false_facts(node.right)
    if isinstance(node, ComparisonExpression) and node.type in ("eq", "ne"):
        for this, other in ((node.left, node.right), (node.right, node.left)):
            name = _symbol(this)
            if name is None:
                continue
            other_is_null = isinstance(other, NullExpression)
            if (node.type == "ne" and other_is_null) or (node.type == "eq" and not other_is_null
                                                          and _symbol(other) is None):
                return {name}
    if isinstance(node, ArithmeticComparisonExpression):
        return {n for n in (_symbol(node.left), _symbol(node.right)) if n}
    if isinstance(node, ContainsExpression) and _symbol(node.member):
        return {str(_symbol(node.member))}
    return set()


def _false_facts(node: Any) -> set[str]:
    """Fields known not to be null when `node` is false."""
    if isinstance(node, LogicExpression):
        left, right = _false_facts(node.left), _false_facts(node.right)
        return left | right if node.type == "or" else left & right
    if isinstance(node, UnaryExpression) and node.type == "not":
        return _true_facts(node.right)
    if isinstance(node, ComparisonExpression) and node.type == "eq":
        for this, other in ((node.left, node.right), (node.right, node.left)):
            name = _symbol(this)
            if name is not None and isinstance(other, NullExpression):
                return {name}
    return set()


def null_safety_problems(node: Any, nullable: set[str]) -> list[str]:
    """Nullable fields used where null would raise, outside any guard that rules null out."""
    problems: list[str] = []

    def unsafe(child: Any, guarded: set[str]) -> None:
        name = _symbol(child)
        if name is not None and name in nullable and name not in guarded and name not in problems:
            problems.append(name)

    def walk(current: Any, guarded: set[str]) -> None:
        if isinstance(current, LogicExpression):
            walk(current.left, guarded)
            facts = _true_facts if current.type == "and" else _false_facts
            walk(current.right, guarded | facts(current.left))
            return
        if isinstance(current, TernaryExpression):
            walk(current.condition, guarded)
            walk(current.case_true, guarded | _true_facts(current.condition))
            walk(current.case_false, guarded | _false_facts(current.condition))
            return
        if isinstance(current, ArithmeticComparisonExpression) or (
                type(current).__name__ in ("AddExpression", "SubtractExpression",
                                           "ArithmeticExpression", "FuzzyComparisonExpression")):
            unsafe(current.left, guarded)
            unsafe(current.right, guarded)
        elif isinstance(current, FunctionCallExpression):
            for argument in current.arguments:
                unsafe(argument, guarded)
        elif isinstance(current, ContainsExpression):
            unsafe(current.container, guarded)
        elif isinstance(current, UnaryExpression) and current.type != "not":
            unsafe(current.right, guarded)
        for child in children(current):
            walk(child, guarded)

    walk(node, set())
    return problems
