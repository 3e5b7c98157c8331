/* debrief.h: the debrief library — read, review and analyse post mortems.
 *
 * Ownership in one sentence: arguments are borrowed, and whatever a _new,
 * _parse, _load or _lint function returns belongs to the caller, who frees it
 * with the matching _free. The library never prints and never exits. */
#ifndef DEBRIEF_H
#define DEBRIEF_H

#include "debrief/actions.h"
#include "debrief/buf.h"
#include "debrief/doc.h"
#include "debrief/import.h"
#include "debrief/lint.h"
#include "debrief/patterns.h"
#include "debrief/render.h"
#include "debrief/timeline.h"

#define DEBRIEF_VERSION "0.1.0"

#endif
