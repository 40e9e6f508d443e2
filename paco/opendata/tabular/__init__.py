"""Pure-Python tabular pipeline: sniff, infer, validate and convert municipal spreadsheets."""
