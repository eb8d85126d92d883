"""Judging: outcomes, scores, grades and summaries. Pure: no files, YAML or terminal."""
