#!/usr/bin/env python3
"""test_import.py: end-to-end tests of `debrief import`."""
import unittest

from common import run


class Placeholder(unittest.TestCase):
    def test_help(self):
        p = run(["import", "--help"])
        self.assertIn(p.returncode, (0, 2))


if __name__ == "__main__":
    unittest.main()
