"""The Streamlit planner. Pages only call the `scheduler` package; state lives in `state`."""
