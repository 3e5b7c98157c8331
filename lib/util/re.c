/* re.c: compile-once PCRE2 patterns with a per-thread match block; the
 * prefilter of re_literals.c answers subjects that cannot match. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "re.h"
#include "re_literals.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

/* Each thread's own match block, freed when the thread ends. */
struct thread_state {
    pcre2_match_data *match;
};

static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static pthread_key_t state_key;
static _Thread_local struct thread_state *thread_state;

static void state_free(void *arg)
{
    struct thread_state *state = arg;
    pcre2_match_data_free(state->match);
    free(state);
}

static void state_key_make(void)
{
    pthread_key_create(&state_key, state_free);
}

/* This thread's state, made on first use; NULL when memory runs out. */
static struct thread_state *state_of_thread(void)
{
    if (thread_state)
        return thread_state;
    pthread_once(&state_once, state_key_make);
    struct thread_state *state = calloc(1, sizeof *state);
    if (!state)
        return NULL;
    state->match = pcre2_match_data_create(10, NULL);
    if (!state->match) {
        free(state);
        return NULL;
    }
    pthread_setspecific(state_key, state);
    thread_state = state;
    return state;
}

static pcre2_code *compile(struct dbf__re *re, char *err, size_t errlen)
{
    if (atomic_load_explicit(&re->ready, memory_order_acquire))
        return re->code;
    pthread_mutex_lock(&compile_lock);
    if (!atomic_load_explicit(&re->ready, memory_order_relaxed)) {
        int code;
        PCRE2_SIZE offset;
        pcre2_code *c =
            pcre2_compile((PCRE2_SPTR)re->pattern, PCRE2_ZERO_TERMINATED,
                          re->options | PCRE2_UTF | PCRE2_NO_UTF_CHECK, &code, &offset, NULL);
        if (c) {
            pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
            /* Extended mode, or options the reader does not know: no prefilter. */
            if ((re->options & ~(uint32_t)(PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_DOTALL)) == 0)
                re->literals = dbf__literals_of(re->pattern);
        } else if (err) {
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
    struct thread_state *state = state_of_thread();
    if (!state)
        return false;
    if (re->literals && !dbf__literals_may_match(
                            re->literals, (const unsigned char *)subject + offset, len - offset))
        return false;
    pcre2_match_data *thread_match = state->match;
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
