/* policy.h: the review workflow's rules: who may move a post mortem, and when. */
#ifndef DEBRIEF_SERVE_POLICY_H
#define DEBRIEF_SERVE_POLICY_H

#endif
