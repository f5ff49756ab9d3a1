"""Measured figures of Wolfpack, each against a baseline taken in the same run."""
