/* diff.c: line differences between two revisions. */
#include "diff.h"
