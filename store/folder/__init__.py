"""The data folder on disk.

datafolder: DataFolder (create, scan, load, save, delete) and LoadResult.
reading: one record file read (read_path), or a list of them in this process.
fastread: many files read by worker processes, one per core.
parse, canonical, rows: the pieces that make reading fast (toml-rs where it
reads as tomllib, caselog's own layout without a parser, records as tuples).
"""
