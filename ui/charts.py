"""Altair charts the pages share. Subjects and schools run down the y-axis so every label is
readable; music, PE and art are drawn in orange wherever subjects are compared. Counts are
people, so their axes tick in whole numbers."""

from __future__ import annotations

import altair as alt
import pandas as pd

ARTS_COLOR, OTHER_COLOR, SHORT_COLOR, LIGHT_COLOR = "#E8772E", "#4C78A8", "#E45756", "#9ECAE9"
ROW = 20  # pixels per category row


def supply_need_bars(frame: pd.DataFrame) -> alt.Chart:
    """Two panels side by side, each on its own scale: need is tiny next to supply."""
    subject, supply, need, arts = frame.columns[:4]
    order = list(frame[subject])
    color = alt.condition(f"datum['{arts}']", alt.value(ARTS_COLOR), alt.value(OTHER_COLOR))
    base = alt.Chart(frame).encode(y=alt.Y(f"{subject}:N", sort=order, title=None, axis=alt.Axis(labelLimit=140)),
                                   tooltip=[subject, supply, need])
    need_bars = base.mark_bar().encode(x=alt.X(f"{need}:Q"), color=color).properties(width=220, height=alt.Step(ROW))
    supply_bars = base.mark_bar(opacity=0.6).encode(x=alt.X(f"{supply}:Q"), color=color).properties(
        width=220, height=alt.Step(ROW))
    return alt.hconcat(need_bars, supply_bars.encode(y=alt.Y(f"{subject}:N", sort=order, axis=None)))


def heatmap(frame: pd.DataFrame, x: str, y: str, value: str) -> alt.Chart:
    """Counts written on their cells, no colour legend: a colour cannot be read back as a number,
    and one cell alone (a one-county plan) gives the legend no range to label ('106.000000')."""
    dark = frame[value].max() / 2 if not frame.empty else 0
    rows = list(frame.groupby(y)[value].sum().sort_values(ascending=False, kind="stable").index)
    base = alt.Chart(frame).encode(
        x=alt.X(f"{x}:N", title=None, axis=alt.Axis(labelAngle=-45, labelOverlap=False, labelLimit=120)),
        y=alt.Y(f"{y}:N", sort=rows, title=None, axis=alt.Axis(labelOverlap=False, labelLimit=160)),
        tooltip=[x, y, value])
    cells = base.mark_rect().encode(color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="oranges"), legend=None))
    counts = base.mark_text(fontSize=11).encode(
        text=alt.Text(f"{value}:Q", format="d"),
        color=alt.condition(f"datum['{value}'] > {dark}", alt.value("white"), alt.value("black")))
    return (cells + counts).properties(width=alt.Step(44), height=alt.Step(ROW + 4))


def stacked(frame: pd.DataFrame, category: str, value: str, part: str, order: list[str]) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort="-x", title=None, axis=alt.Axis(labelLimit=140)),
        x=alt.X(f"{value}:Q", title=value),
        color=alt.Color(f"{part}:N", title=None, sort=order, scale=alt.Scale(domain=order, range=[OTHER_COLOR, SHORT_COLOR])),
        order=alt.Order("order:Q"),
        tooltip=[category, part, value],
    ).transform_calculate(order=f"datum['{part}'] == '{order[0]}' ? 0 : 1").properties(height=alt.Step(ROW))


def against(frame: pd.DataFrame, category: str, actual: str, target: str, short: str) -> alt.Chart:
    """Actual as bars (red where short of the target), the target as a black tick."""
    ordered = frame.sort_values([short, actual], ascending=[False, True])
    order = list(ordered[category])
    bars = alt.Chart(ordered).mark_bar().encode(
        y=alt.Y(f"{category}:N", sort=order, title=None, axis=alt.Axis(labelLimit=160)),
        x=alt.X(f"{actual}:Q", title=f"{actual}（▮）/ {target}（|）", axis=alt.Axis(format="d", tickMinStep=1)),
        color=alt.condition(f"datum['{short}']", alt.value(SHORT_COLOR), alt.value(OTHER_COLOR)),
        tooltip=[category, actual, target])
    ticks = alt.Chart(ordered).mark_tick(color="black", thickness=2, size=ROW - 4).encode(
        y=alt.Y(f"{category}:N", sort=order), x=f"{target}:Q")
    return (bars + ticks).properties(height=alt.Step(ROW))


def grouped_bars(frame: pd.DataFrame, category: str, group: str, value: str, percent: bool = True) -> alt.Chart:
    """One bar per group (a plan version) within each category (a figure), side by side."""
    order = list(dict.fromkeys(frame[category]))
    return alt.Chart(frame).mark_bar().encode(
        y=alt.Y(f"{group}:N", title=None, axis=None),
        x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format="%" if percent else "d"),
                scale=alt.Scale(domain=[0, 1]) if percent else alt.Undefined),
        color=alt.Color(f"{group}:N", title=None, legend=alt.Legend(orient="top")),
        row=alt.Row(f"{category}:N", sort=order, title=None, header=alt.Header(labelAngle=0, labelAlign="left",
                                                                                labelLimit=220)),
        tooltip=[category, group, alt.Tooltip(f"{value}:Q", format=".1%" if percent else "d")],
    ).properties(width=360, height=alt.Step(14))
