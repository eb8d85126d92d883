"""The auditors' tools around a round: the template, validation, sampling and moderation.

They read case files and judge cases through the same reader and engine as `score`, and
sit beside the report stage: the commands call them, nothing below them imports them.
"""
