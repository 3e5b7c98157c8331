/* re.c: compile-once PCRE2 patterns with a per-thread match block. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "re.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local pcre2_match_data *thread_match;

static pcre2_code *compile(struct dbf__re *re, char *err, size_t errlen)
{
    if (atomic_load_explicit(&re->ready, memory_order_acquire))
        return re->code;
    pthread_mutex_lock(&compile_lock);
    if (!atomic_load_explicit(&re->ready, memory_order_relaxed)) {
        int code;
        PCRE2_SIZE offset;
        pcre2_code *c = pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED,
                                      re->options | PCRE2_UTF | PCRE2_NO_UTF_CHECK,
                                      &code, &offset, NULL);
        if (c)
            pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
        else if (err) {
            PCRE2_UCHAR msg[200];
            pcre2_get_error_message(code, msg, sizeof msg);
            snprintf(err, errlen, "'%s' at %zu: %s", re->pattern, (size_t)offset, (char *)msg);
        }
        re->code = c;
        atomic_store_explicit(&re->ready, true, memory_order_release);
    }
    pthread_mutex_unlock(&compile_lock);
    return re->code;
}

bool dbf__re_check(struct dbf__re *re, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    return compile(re, err, errlen) != NULL;
}

bool dbf__re_search(struct dbf__re *re, const char *subject, size_t len, size_t offset,
                    struct dbf__match *m)
{
    pcre2_code *code = compile(re, NULL, 0);
    if (!code || offset > len)
        return false;
    if (!thread_match) {
        thread_match = pcre2_match_data_create(10, NULL);
        if (!thread_match)
            return false;
    }
    int rc =
        pcre2_match(code, (PCRE2_SPTR)subject, len, offset, PCRE2_NO_UTF_CHECK, thread_match, NULL);
    if (rc < 0)
        return false;
    if (m) {
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(thread_match);
        uint32_t pairs = pcre2_get_ovector_count(thread_match);
        m->start = ov[0];
        m->end = ov[1];
        for (uint32_t i = 1; i < 10; i++) {
            bool set = i < pairs && i < (uint32_t)rc && ov[2 * i] != PCRE2_UNSET;
            m->group_start[i] = set ? ov[2 * i] : SIZE_MAX;
            m->group_end[i] = set ? ov[2 * i + 1] : SIZE_MAX;
        }
        m->group_start[0] = m->start;
        m->group_end[0] = m->end;
    }
    return true;
}

bool dbf__re_test(struct dbf__re *re, const char *s)
{
    return dbf__re_search(re, s, strlen(s), 0, NULL);
}
