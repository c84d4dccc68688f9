import streamlit as st

st.set_page_config(page_title="教师交流轮岗规划", layout="wide")
st.title("教师交流轮岗规划")
