"""Rubrics: YAML in, a checked and compiled rubric out, problems at file:line:col."""
