"""memcheck.py: run a command under valgrind's memcheck for the golden runners.

wrap(argv) gives the command line that runs ARGV under memcheck, failing
(exit status 99) on any memory error and on memory definitely or
indirectly lost at exit; libraries' own caches are in memcheck.supp."""

import os

ERROR_STATUS = 99
_SUPP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "memcheck.supp")


def wrap(argv):
    return ["valgrind", "--tool=memcheck", "--quiet", "--error-exitcode=%d" % ERROR_STATUS,
            "--leak-check=full", "--show-leak-kinds=definite,indirect",
            "--errors-for-leak-kinds=definite,indirect", "--suppressions=" + _SUPP] + list(argv)
