#!/usr/bin/env python3
"""test_patterns.py: end-to-end tests of `debrief patterns`."""
import unittest

from common import run


class Placeholder(unittest.TestCase):
    def test_help(self):
        p = run(["patterns", "--help"])
        self.assertEqual(p.returncode, 0)


if __name__ == "__main__":
    unittest.main()
