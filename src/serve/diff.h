/* diff.h: line differences between two revisions. */
#ifndef DEBRIEF_SERVE_DIFF_H
#define DEBRIEF_SERVE_DIFF_H

#endif
