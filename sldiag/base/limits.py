"""The bounds on the work one run and one input may cause.

Each is far above what a real capture needs (a show tech of a 9-member stack has about 2,000
sections and a configuration of some 20,000 lines) and low enough that a file built to cost
time or memory cannot: the shapes in benchmarks/bench_hostile.py stay under 200 MB. When a
limit is reached, what it leaves out is said in one line in the report and on stderr, and the
rest is analysed.
"""

from __future__ import annotations

MIB = 1024 * 1024

# A run: files read from the folders and names given (`--max-files` raises it).
MAX_FILES_PER_RUN = 10_000
# One file: distinct hosts whose prompts split it into devices; prompts of further hosts are
# left unsplit and their outputs unread.
MAX_DEVICES_PER_FILE = 256
# One file: prompts and show-tech delimiters that start an output; later ones are read as
# lines of the output before them.
MAX_MARKERS_PER_FILE = 10_000
# A capture is read whole (every line held) only up to this many lines, and up to
# streaming.LARGE_CAPTURE_BYTES; beyond either it is read streaming.
MAX_WHOLE_READ_LINES = 200_000
# Streaming: the lines kept for parsing, and their size. When full, licensing log lines
# replace the oldest ones kept for the same reason (the latest events matter most) and other
# outputs are read no further.
MAX_KEPT_LINES = 200_000
MAX_KEPT_BYTES = 32 * MIB
# Streaming: licensing log lines kept at most (the latest; each becomes a row every rule may
# read, far costlier than a line): a switch's buffer holds a few thousand.
MAX_KEPT_LOG_LINES = 20_000
# One device: lines no template expects, listed one by one; past this, counted in one more.
MAX_PARSE_GAPS = 1_000
# A line longer than any command prints is read up to here (in analyses and in bundles).
MAX_LINE_BYTES = 1 * MIB
# gzip: what a compressed capture may expand to, as a multiple of its compressed size, once
# past GZIP_FREE_BYTES (text compresses 5-20 times; a decompression bomb 1,000 times).
GZIP_MAX_RATIO = 100
GZIP_FREE_BYTES = 64 * MIB
# A folder walk goes this many levels down at most; a deeper folder is one skipped input.
MAX_FOLDER_DEPTH = 64
