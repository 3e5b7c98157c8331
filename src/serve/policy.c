/* policy.c: the review workflow's rules: who may move a post mortem, and when. */
#include "policy.h"
