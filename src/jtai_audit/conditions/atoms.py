"""A condition's atoms: the largest sub-expressions that read one field and nothing else.

`'Police' in agencies_involved` reads one field; evaluated on a cell, it gives the same
answer wherever it stands in the condition. So two cells of a field that give the same
answer to every atom of that field, in every condition a rule evaluates, are the same to
the rule: the batch judge decides the rule once per combination of atom answers rather
than once per combination of raw cells (3,000 distinct lists of agencies, two answers).

rule-engine stays the parser and type checker: atoms are found on its syntax tree and
compiled with the same code generator as the whole condition. A field some condition uses
other than through a compiled yes/no atom (passed bare to a function, compared with
another field, or in a condition the generator cannot translate) has no atoms: the judge
then keys that field on its raw cells, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from rule_engine import DataType
from rule_engine.ast import SymbolExpression

from .expressions import Compiled, Environment, children

Atom = Callable[[Mapping[str, Any]], bool]


def _symbols(node: Any, memo: dict[int, frozenset[str]]) -> frozenset[str]:
    """The fields (not `$` builtins) a subtree reads."""
    found = memo.get(id(node))
    if found is None:
        if isinstance(node, SymbolExpression):
            found = frozenset() if node.scope == "built-in" else frozenset({node.name})
        else:
            found = frozenset()
            for child in children(node):
                found |= _symbols(child, memo)
        memo[id(node)] = found
    return found


def _maximal(node: Any, memo: dict[int, frozenset[str]],
             groups: Mapping[str, str]) -> Iterable[tuple[str, Any]]:
    """Each largest subtree whose fields all belong to one group, with that group."""
    reads = {groups.get(name, name) for name in _symbols(node, memo)}
    if len(reads) == 1:
        yield next(iter(reads)), node
    elif len(reads) > 1:
        for child in children(node):
            yield from _maximal(child, memo, groups)


def field_atoms(conditions: Iterable[Compiled], env: Environment,
                fields: Iterable[str], groups: Mapping[str, str] | None = None
                ) -> dict[str, tuple[Atom, ...]]:
    """Per field (or group), the compiled atoms of these conditions; a refused one is left out.

    `groups` puts fields together (a rule's dates: `$working_days(a, b) <= 1` is an atom of
    the group); a field not named there is a group of its own. A group is left out when
    any of its uses is not a translatable yes/no atom: its cells must then be told apart
    by value. A group the conditions do not read at all has an empty tuple.
    """
    groups = groups or {}
    found: dict[str, list[Atom]] = {name: [] for name in fields}
    refused: set[str] = set()
    for condition in conditions:
        memo: dict[int, frozenset[str]] = {}
        statement = condition.rule.statement.expression
        usable = condition.python is not None or _inner_python(condition)
        for name, node in _maximal(statement, memo, groups):
            if name not in found:
                continue
            atom = None
            if usable and not isinstance(node, SymbolExpression) \
                    and node.result_type == DataType.BOOLEAN:
                atom = env.python(node)
            if atom is None:
                refused.add(name)
            else:
                found[name].append(atom)
    return {name: tuple(atoms) for name, atoms in found.items() if name not in refused}


def _inner_python(condition: Compiled) -> bool:
    """A condition read through `silent_reads` evaluates its inner compiled condition."""
    inner = getattr(condition, "inner", None)
    return inner is not None and inner.python is not None
