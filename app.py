"""Streamlit entry: a placeholder that shows the bundled sample and its validation report."""

from pathlib import Path

import streamlit as st

from scheduler.workbook import read_paths

SAMPLE = Path(__file__).parent / "sample_data" / "lueyang_county.xlsx"

st.set_page_config(page_title="教师交流轮岗规划", layout="wide")
st.title("教师交流轮岗规划")


@st.cache_data(show_spinner="正在读取样例数据……")
def load_sample(path: str):
    loaded = read_paths([path])
    return loaded.report, {key: frame.text for key, frame in loaded.frames.items()}


report, sheets = load_sample(str(SAMPLE))
st.caption(f"样例数据：{SAMPLE.name} · 校验结果：{report.summary()}")
if report.problems:
    st.dataframe(report.to_frame("zh"), hide_index=True, use_container_width=True)
for key, frame in sheets.items():
    with st.expander(f"{key}（{len(frame)} 行）"):
        st.dataframe(frame.head(200), hide_index=True)
