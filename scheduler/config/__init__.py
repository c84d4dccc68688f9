"""Settings as planners hand them in outside the workbook: `--set key=value` and the rules file."""
