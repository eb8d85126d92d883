"""Dependent questions greyed out in the template: `na_allowed` as Excel formulas.

A dependent question's cells turn grey (conditional formatting, which Excel and
LibreOffice both show) on the rows where the answer it depends on rules it out. The
common condition forms translate; anything else keeps its input message only.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence

from openpyxl.formatting.rule import Rule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.worksheet.worksheet import Worksheet

from ..rubric.compiled import LoadedRubric
from ..rubric.guidance import Kind
from ..workbook.limits import column_letter

GREY_FILL = PatternFill(fill_type="solid", start_color="D9D9D9", end_color="D9D9D9")
GREY_FONT = Font(color="808080")


def excel_condition(text: str, letters: Mapping[str, str], row: int = 2) -> str | None:
    """An `na_allowed` condition as an Excel formula on `row`, or None when it cannot say.

    The common forms translate: `field == 'No'`, `field != 'Yes'`, `field in ['A', 'B']`,
    `not in`, numeric comparisons, `and`, `or`, `not` and brackets. A comparison other than
    `==` holds only on an answered cell, so an empty row is not greyed before its parent is
    answered. Anything else (a list field, a function, a field not on the sheet) is None.
    """
    try:
        tree = ast.parse(" ".join(text.split()), mode="eval").body
    except SyntaxError:
        return None
    return _formula(tree, letters, row)


def _formula(node: ast.expr, letters: Mapping[str, str], row: int) -> str | None:
    if isinstance(node, ast.BoolOp):
        parts = [_formula(v, letters, row) for v in node.values]
        if any(p is None for p in parts):
            return None
        return f"{'AND' if isinstance(node.op, ast.And) else 'OR'}({','.join(map(str, parts))})"
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _formula(node.operand, letters, row)
        return None if inner is None else f"NOT({inner})"
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return None
    left, op, right = node.left, node.ops[0], node.comparators[0]
    if isinstance(left, ast.Constant) and isinstance(right, ast.Name) \
            and isinstance(op, ast.Eq | ast.NotEq):
        left, right = right, left
    if not isinstance(left, ast.Name) or left.id not in letters:
        return None
    cell = f"${letters[left.id]}{row}"
    answered = f'{cell}<>""'
    if isinstance(op, ast.In | ast.NotIn) and isinstance(right, ast.List | ast.Tuple):
        words = [_excel_value(v) for v in right.elts]
        if not words or any(w is None for w in words):
            return None
        if isinstance(op, ast.In):
            return f"OR({','.join(f'{cell}={w}' for w in words)})"
        return f"AND({answered},{','.join(f'{cell}<>{w}' for w in words)})"
    value = _excel_value(right)
    symbol = {ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
              ast.GtE: ">="}.get(type(op))
    if value is None or symbol is None:
        return None
    if symbol == "=":
        return f"{cell}={value}"
    if symbol != "<>" and value.startswith('"'):
        return None  # words are compared for equality only
    return f"AND({answered},{cell}{symbol}{value})"


def _excel_value(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return '"' + node.value.replace('"', '""') + '"'
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return repr(node.value)
    return None


def grey_dependents(sheet: Worksheet, rubric: LoadedRubric, columns: Sequence[str],
                     kinds: Mapping[str, Kind], last_row: int) -> None:
    """Grey a dependent question's cells on the rows where its parent rules it out."""
    letters = {name: column_letter(index) for index, name in enumerate(columns)}
    for name in columns:
        condition = rubric.na_allowed.get(name)
        if kinds.get(name) != "dependent" or condition is None:
            continue
        formula = excel_condition(condition.text, letters)
        if formula is None:
            continue  # a condition Excel cannot be told: the input message still says it
        letter = letters[name]
        grey = DifferentialStyle(fill=GREY_FILL, font=GREY_FONT)
        sheet.conditional_formatting.add(f"{letter}2:{letter}{last_row}",
                                         Rule(type="expression", dxf=grey, formula=[formula]))
