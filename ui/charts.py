"""Altair charts the pages share. Music, PE and art are always drawn in orange."""

from __future__ import annotations

import altair as alt
import pandas as pd

ARTS_COLOR, OTHER_COLOR = "#E8772E", "#4C78A8"


def supply_need_bars(frame: pd.DataFrame) -> alt.Chart:
    subject, supply, need, arts = frame.columns[:4]
    long = frame.melt(id_vars=[subject, arts], value_vars=[supply, need], var_name="series", value_name="n")
    return alt.Chart(long).mark_bar().encode(
        x=alt.X(f"{subject}:N", sort=list(frame[subject]), title=None),
        xOffset="series:N",
        y=alt.Y("n:Q", title=None),
        color=alt.Color("series:N", title=None, scale=alt.Scale(range=["#9ECAE9", OTHER_COLOR])),
        stroke=alt.condition(f"datum['{arts}']", alt.value(ARTS_COLOR), alt.value(None)),
        strokeWidth=alt.value(2),
        tooltip=[subject, "series", "n"],
    ).properties(height=280)


def heatmap(frame: pd.DataFrame, x: str, y: str, value: str) -> alt.Chart:
    return alt.Chart(frame).mark_rect().encode(
        x=alt.X(f"{x}:N", title=None), y=alt.Y(f"{y}:N", title=None),
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="oranges"), title=value),
        tooltip=[x, y, value],
    ).properties(height=max(160, 22 * frame[y].nunique()))


def stacked(frame: pd.DataFrame, x: str, value: str, part: str, order: list[str]) -> alt.Chart:
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{x}:N", sort="-y", title=None), y=alt.Y(f"{value}:Q", title=None),
        color=alt.Color(f"{part}:N", title=None, sort=order, scale=alt.Scale(range=[OTHER_COLOR, "#E45756"])),
        tooltip=[x, part, value],
    ).properties(height=280)


def against(frame: pd.DataFrame, x: str, actual: str, target: str) -> alt.Chart:
    bars = alt.Chart(frame).mark_bar(color=OTHER_COLOR).encode(
        x=alt.X(f"{x}:N", sort="-y", title=None, axis=alt.Axis(labelLimit=120)), y=alt.Y(f"{actual}:Q", title=None),
        tooltip=[x, actual, target])
    ticks = alt.Chart(frame).mark_tick(color="#E45756", thickness=3, size=14).encode(x=f"{x}:N", y=f"{target}:Q")
    return (bars + ticks).properties(height=300)
