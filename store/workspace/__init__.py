"""The open folder the app works in: its records in memory, kept in step with
the files; saves, deletes and outside changes, the live tally (workspace)."""
