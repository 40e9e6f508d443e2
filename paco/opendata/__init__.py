"""Open-data portal: datasets, resources and the tabular import pipeline."""
