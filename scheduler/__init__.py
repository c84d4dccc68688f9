"""Teacher-exchange planner: domain, workbook I/O, sample scenarios and (later) the CP-SAT model.

Nothing in this package imports Streamlit, so the same code serves the UI, the command
line and the tests.
"""
