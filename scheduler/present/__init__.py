"""What the planner's pages show, computed without Streamlit: the pins table, supply against need."""
