"""Bundled rubrics, shipped as package data."""
