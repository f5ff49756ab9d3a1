"""A change to the read-model tables must raise their SHAPE, or old rows would stay."""

from __future__ import annotations

import hashlib

from sqlalchemy import MetaData, Table

import projections.runner  # noqa: F401 - defines every read-model table
from projections.schema import SHAPE, metadata

# The fingerprint of the tables of each shape. When the tables change, raise
# projections.schema.SHAPE (a runner then replays the log into the new tables)
# and add the new shape's fingerprint here; never edit an earlier one.
FINGERPRINTS = {
    3: "334e5019e1ba7730ccb3cf21a8bfbad2c84fc23696f5859468e91f4b48295b8f",
    4: "a88250e1cd0638cf4aafeea39425d90a4bdd8fae4aef6ddb089dda24f08f4d0d",
}


def describe(table: Table) -> list[str]:
    """Return every column, key and index of a table, one line each, in order."""
    lines = [f"table {table.name}"]
    for column in table.columns:
        lines.append(
            f"column {column.name} {column.type!r} nullable={column.nullable}"
            f" primary_key={column.primary_key} server_default={column.server_default}"
        )
    lines.extend(
        sorted(
            f"constraint {type(constraint).__name__} "
            f"({','.join(column.name for column in constraint.columns)})"
            for constraint in table.constraints
        )
    )
    for index in sorted(table.indexes, key=lambda i: str(i.name)):
        columns = ",".join(str(expression) for expression in index.expressions)
        lines.append(f"index {index.name} ({columns}) unique={index.unique}")
    for key in sorted(table.foreign_keys, key=lambda k: k.target_fullname):
        lines.append(f"foreign key {key.parent.name} -> {key.target_fullname}")
    return lines


def fingerprint(tables: MetaData) -> str:
    """Return a digest of every read-model table's description."""
    text = "\n".join(line for table in tables.sorted_tables for line in describe(table))
    return hashlib.sha256(text.encode()).hexdigest()


def test_the_read_model_tables_are_those_of_their_recorded_shape():
    found = fingerprint(metadata)

    assert FINGERPRINTS.get(SHAPE) == found, (
        f"The read-model tables of shape {SHAPE} are not those recorded. If you "
        "changed a table, raise projections.schema.SHAPE and record "
        f"{{{SHAPE + 1}: {found!r}}} in FINGERPRINTS."
    )


def test_a_changed_column_changes_the_fingerprint():
    before = fingerprint(metadata)
    changed = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["commitment_view"].c.title.nullable = True

    assert fingerprint(changed) != before
