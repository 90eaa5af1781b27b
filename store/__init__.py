"""caselog's domain and plain-file storage.

Records, the taxonomy, reading and writing the TOML files of a data folder,
periods and the summary tables. This package imports neither Textual nor Rich:
it can be tested, scripted and reused without a terminal.
"""
