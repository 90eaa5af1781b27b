"""The file format of FORMAT.md: a record as TOML (codec), where each file lies
in a data folder (layout), and writing a file atomically and privately (files)."""
