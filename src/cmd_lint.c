/* cmd_lint.c: `debrief lint`, the review of post mortems.
 *
 * Files are linted by a pool of worker threads and reported by the main
 * thread in input order, so the output, its order and the exit status do not
 * depend on --jobs. The main thread hands out files through a window of
 * slots two claims per worker wide: workers never run further ahead of the
 * report than that, so memory stays flat however many files there are. A
 * thread claims up to FILES_PER_CLAIM files at once and reviews them
 * together (dbf_lint_many()). The main thread alone touches the report,
 * standard error and the configuration cache; a worker touches only its
 * own slots' documents and reviews. */
#include "cli.h"
#include "report.h"

#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: debrief lint [options] PATH...\n"
    "\n"
    "Reviews post mortems (files, or folders searched for *.md; '-' reads\n"
    "standard input) and reports each finding with its line and a fix.\n"
    "\n"
    "  -f, --format FORMAT   text (default), json, sarif or github\n"
    "      --fail-on LEVEL   exit 1 on findings at or above error, warning\n"
    "                        (default), info; never: only input errors fail\n"
    "      --min-score N     exit 1 when a file scores below N (0-100)\n"
    "      --checklist       answer the reviewer's five questions\n"
    "      --today DATE      take DATE (YYYY-MM-DD) as today for the date rules\n"
    "      --config FILE     use FILE instead of the nearest .debrief.yml\n"
    "      --color WHEN      auto (default), always or never; NO_COLOR is honoured\n"
    "  -j, --jobs N          lint N files at once (default: one per online\n"
    "                        processor); the output is the same for any N\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on or a score below\n"
    "--min-score, 2 usage or input error. 'debrief rules' lists the rules.\n";

/* More threads than this only cost memory. */
#define MAX_JOBS 256
/* Files a thread claims at once and lints together (dbf_lint_many(): each
 * rule runs over all of them before the next, its code still in the
 * processor's caches). Over the bench's files 16 at a time took 5% less CPU
 * time than one by one, 8 at a time 3%; 32 no less than 16, holding twice
 * the documents. */
#define FILES_PER_CLAIM 16
/* Slots: two claims per worker, so that a slow file does not idle the
 * others, and no more than this many (4.6 KiB each). */
#define MAX_WINDOW 4096

struct config_cache {
    char *path;
    struct dbf_config *config;
};

struct lint_run {
    const char *config_path; /* --config */
    struct dbf_date today;
    bool has_today;
    struct config_cache *cache;
    size_t cache_count;
    struct dbf_config *defaults;
    char *folder;       /* the folder of the last plain file discovered for */
    char *folder_found; /* its configuration file; NULL: none */
};

/* One file's turn: filled by the main thread, linted by a worker (or by the
 * main thread with one job), then reported and emptied by the main thread. */
struct lint_slot {
    char path[PATH_MAX];
    const struct dbf_config *config;
    bool bad_config; /* err holds the configuration's error; nothing to lint */
    bool unreadable; /* err holds why: the document's "LINE:COL: message", or a message */
    struct dbf_review *review;
    char err[512];
    enum { SLOT_READY, SLOT_TAKEN, SLOT_DONE } state;
};

/* The window of slots; file I uses slots[I % window]. */
struct lint_queue {
    pthread_mutex_t lock;
    pthread_cond_t work; /* a slot became ready, or the run is over */
    pthread_cond_t done; /* a worker finished its slots */
    struct lint_slot *slots;
    size_t window;
    size_t claim;  /* the most files a thread claims at once */
    size_t jobs;   /* threads linting, this one among them */
    size_t total;  /* files in the run */
    size_t filled; /* files handed to slots so far */
    size_t taken;  /* files claimed by workers so far */
    bool over;
};

/* dbf_config_discover(PATH). For a plain file (not a link, which may lead
 * elsewhere) the answer is its folder's, kept for the files after it in the
 * same folder: one lstat() a file instead of a walk up the tree, seven
 * system calls a file. */
static char *discover(struct lint_run *run, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return dbf_config_discover(path);
    const char *slash = strrchr(path, '/');
    size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char folder[PATH_MAX];
    snprintf(folder, sizeof folder, "%.*s", n ? (int)n : 1, n ? path : ".");
    if (!run->folder || strcmp(run->folder, folder) != 0) {
        free(run->folder);
        free(run->folder_found);
        run->folder = strdup(folder);
        run->folder_found = dbf_config_discover(folder);
    }
    return run->folder_found ? strdup(run->folder_found) : NULL;
}

/* The configuration for PATH, or NULL with the error in ERR. */
static const struct dbf_config *configured(struct lint_run *run, const char *path, char *err,
                                           size_t errlen)
{
    char *found = run->config_path         ? strdup(run->config_path)
                  : strcmp(path, "-") == 0 ? dbf_config_discover(".")
                                           : discover(run, path);
    if (!found)
        return run->defaults;
    for (size_t i = 0; i < run->cache_count; i++) {
        if (strcmp(run->cache[i].path, found) == 0) {
            free(found);
            return run->cache[i].config;
        }
    }
    struct dbf_config *config = dbf_config_new();
    if (!config || !dbf_config_load(config, found, err, errlen)) {
        if (!config)
            snprintf(err, errlen, "out of memory");
        dbf_config_free(config);
        free(found);
        return NULL;
    }
    if (run->has_today)
        dbf_config_set_today(config, run->today);
    struct config_cache *grown = realloc(run->cache, (run->cache_count + 1) * sizeof *grown);
    if (!grown) {
        dbf_config_free(config);
        free(found);
        return run->defaults;
    }
    run->cache = grown;
    run->cache[run->cache_count++] = (struct config_cache){found, config};
    return config;
}

static void slot_fill(struct lint_slot *slot, struct lint_run *run, const struct cli_files *files,
                      size_t i)
{
    slot->state = SLOT_READY;
    slot->review = NULL;
    slot->unreadable = false;
    slot->err[0] = '\0';
    if (!cli_files_path(files, i, slot->path, sizeof slot->path)) {
        /* Named by as much of it as fits, which snprintf() left there. */
        memcpy(slot->path + sizeof slot->path - 4, "...", 4);
        slot->config = NULL;
        slot->bad_config = false;
        slot->unreadable = true;
        snprintf(slot->err, sizeof slot->err, "the path is longer than %d bytes", PATH_MAX);
        return;
    }
    slot->config = configured(run, slot->path, slot->err, sizeof slot->err);
    slot->bad_config = !slot->config;
}

/* Reads the files of the COUNT slots SLOTS and lints them together; the
 * slots' own fields only. */
static void slots_lint(struct lint_slot *const *slots, size_t count)
{
    struct dbf_doc *docs[FILES_PER_CLAIM];
    const struct dbf_config *configs[FILES_PER_CLAIM];
    struct dbf_review *reviews[FILES_PER_CLAIM];
    for (size_t i = 0; i < count; i++) {
        struct lint_slot *slot = slots[i];
        docs[i] = NULL;
        configs[i] = slot->config;
        if (slot->bad_config || slot->unreadable)
            continue;
        docs[i] = cli_load_doc(slot->path, slot->err, sizeof slot->err);
        slot->unreadable = !docs[i];
    }
    dbf_lint_many((const struct dbf_doc *const *)docs, configs, count, reviews);
    for (size_t i = 0; i < count; i++) {
        if (!docs[i])
            continue;
        slots[i]->review = reviews[i];
        if (!reviews[i]) {
            slots[i]->unreadable = true;
            snprintf(slots[i]->err, sizeof slots[i]->err, "0:0: out of memory");
        }
        dbf_doc_free(docs[i]);
    }
}

/* Claims the next files no thread has taken, up to Q's claim and to an
 * even share of the files left among the threads, and lints them
 * together (called and returning with Q's lock held). */
static void lint_next(struct lint_queue *q)
{
    size_t count = q->filled - q->taken;
    size_t share = (q->total - q->taken + q->jobs - 1) / q->jobs;
    if (count > q->claim)
        count = q->claim;
    if (count > share)
        count = share;
    struct lint_slot *slots[FILES_PER_CLAIM];
    for (size_t i = 0; i < count; i++) {
        slots[i] = &q->slots[q->taken++ % q->window];
        slots[i]->state = SLOT_TAKEN;
    }
    pthread_mutex_unlock(&q->lock);
    slots_lint(slots, count);
    pthread_mutex_lock(&q->lock);
    for (size_t i = 0; i < count; i++)
        slots[i]->state = SLOT_DONE;
}

static void *worker(void *arg)
{
    struct lint_queue *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        if (q->taken < q->filled) {
            lint_next(q);
            pthread_cond_signal(&q->done);
        } else if (q->over) {
            break;
        } else {
            pthread_cond_wait(&q->work, &q->lock);
        }
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

struct lint_outcome {
    bool input_error, failed;
};

struct lint_policy {
    enum dbf_severity fail_on;
    bool fail_never;
    long min_score;
};

/* Reports a finished slot and empties it. */
static void slot_report(struct lint_slot *slot, struct report *report,
                        const struct lint_policy *policy, struct lint_outcome *outcome)
{
    if (slot->bad_config) {
        cli_error("%s", slot->err);
        outcome->input_error = true;
    } else if (slot->unreadable) {
        report_input_error(report, slot->path, slot->err);
        outcome->input_error = true;
    } else {
        struct dbf_review *review = slot->review;
        report_file(report, slot->path, review);
        enum dbf_severity worst = dbf_review_worst(review);
        if ((!policy->fail_never && worst != DBF_OFF && worst >= policy->fail_on) ||
            (policy->min_score >= 0 && review->score < policy->min_score))
            outcome->failed = true;
    }
    dbf_review_free(slot->review);
    slot->review = NULL;
}

/* Lints FILES with JOBS threads, this one among them, reporting in input
 * order. While the next file to report is not done, this thread lints the
 * next one nobody has taken instead of waiting: it sleeps only when every
 * file in the window is taken, so it is not woken for every file as a
 * reporter that only waits would be (a context switch a file). Returns
 * false when the threads cannot be had (the caller then lints with one
 * job). */
static bool lint_files(const struct cli_files *files, size_t jobs, struct lint_run *run,
                       struct report *report, const struct lint_policy *policy,
                       struct lint_outcome *outcome)
{
    struct lint_queue q = {.window = jobs > 1 ? jobs * 2 * FILES_PER_CLAIM : FILES_PER_CLAIM,
                           .total = files->count};
    if (q.window > MAX_WINDOW)
        q.window = MAX_WINDOW;
    if (q.window > files->count)
        q.window = files->count;
    if (jobs > q.window)
        jobs = q.window;
    q.jobs = jobs;
    q.claim = jobs > 1 ? q.window / (2 * jobs) : q.window;
    if (q.claim > FILES_PER_CLAIM)
        q.claim = FILES_PER_CLAIM;
    if (q.claim < 1)
        q.claim = 1;
    size_t helpers = jobs > 1 ? jobs - 1 : 0;
    q.slots = calloc(q.window, sizeof *q.slots);
    pthread_t *threads = helpers ? calloc(helpers, sizeof *threads) : NULL;
    if (!q.slots || (helpers && !threads)) {
        free(q.slots);
        free(threads);
        return false;
    }
    pthread_mutex_init(&q.lock, NULL);
    pthread_cond_init(&q.work, NULL);
    pthread_cond_init(&q.done, NULL);
    size_t started = 0;
    for (; started < helpers; started++) {
        if (pthread_create(&threads[started], NULL, worker, &q) != 0)
            break;
    }
    if (helpers && !started) {
        free(q.slots);
        free(threads);
        pthread_mutex_destroy(&q.lock);
        pthread_cond_destroy(&q.work);
        pthread_cond_destroy(&q.done);
        return false;
    }

    pthread_mutex_lock(&q.lock);
    for (; q.filled < q.window; q.filled++)
        slot_fill(&q.slots[q.filled], run, files, q.filled);
    pthread_cond_broadcast(&q.work);
    for (size_t i = 0; i < files->count; i++) {
        struct lint_slot *slot = &q.slots[i % q.window];
        while (slot->state != SLOT_DONE) {
            if (q.taken < q.filled)
                lint_next(&q);
            else
                pthread_cond_wait(&q.done, &q.lock);
        }
        pthread_mutex_unlock(&q.lock);
        slot_report(slot, report, policy, outcome);
        /* Only this thread writes q.filled; workers read it under the lock. */
        bool more = q.filled < files->count;
        if (more)
            slot_fill(slot, run, files, q.filled);
        pthread_mutex_lock(&q.lock);
        if (more) {
            q.filled++;
            pthread_cond_signal(&q.work);
        }
    }
    q.over = true;
    pthread_cond_broadcast(&q.work);
    pthread_mutex_unlock(&q.lock);
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    pthread_mutex_destroy(&q.lock);
    pthread_cond_destroy(&q.work);
    pthread_cond_destroy(&q.done);
    free(q.slots);
    free(threads);
    return true;
}

/* The number of online processors, at least 1 and at most MAX_JOBS. */
static size_t online_processors(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (size_t)n;
}

int cmd_lint(int argc, char **argv)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"fail-on", required_argument, NULL, 'F'},
        {"min-score", required_argument, NULL, 'm'},
        {"checklist", no_argument, NULL, 'c'},
        {"today", required_argument, NULL, 't'},
        {"config", required_argument, NULL, 'C'},
        {"color", required_argument, NULL, 'o'},
        {"colour", required_argument, NULL, 'o'},
        {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum report_format format = REPORT_TEXT;
    struct lint_policy policy = {.fail_on = DBF_WARNING, .min_score = -1};
    bool checklist = false;
    size_t jobs = 0;
    const char *colour = "auto";
    struct lint_run run = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:j:h", options, NULL)) != -1) {
        switch (c) {
        case 'f':
            if (!report_format_parse(optarg, &format)) {
                cli_error("unknown format '%s'; use text, json, sarif or github", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'F':
            if (strcmp(optarg, "never") == 0)
                policy.fail_never = true;
            else if (!dbf_severity_parse(optarg, &policy.fail_on) || policy.fail_on == DBF_OFF) {
                cli_error("--fail-on takes error, warning, info or never, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'm': {
            char *end;
            policy.min_score = strtol(optarg, &end, 10);
            if (*end || end == optarg || policy.min_score < 0 || policy.min_score > 100) {
                cli_error("--min-score takes a number from 0 to 100, not '%s'", optarg);
                return EXIT_USAGE;
            }
            break;
        }
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);
            if (*end || end == optarg || n < 1 || n > MAX_JOBS) {
                cli_error("--jobs takes a number from 1 to %d, not '%s'", MAX_JOBS, optarg);
                return EXIT_USAGE;
            }
            jobs = (size_t)n;
            break;
        }
        case 'c':
            checklist = true;
            break;
        case 't':
            if (!cli_option_date("--today", optarg, &run.today))
                return EXIT_USAGE;
            run.has_today = true;
            break;
        case 'C':
            run.config_path = optarg;
            break;
        case 'o':
            if (!cli_option_colour(optarg))
                return EXIT_USAGE;
            colour = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (jobs == 0)
        jobs = online_processors();
    struct cli_files files = {0};
    struct lint_outcome outcome = {0};
    outcome.input_error = !cli_files_collect(&files, argv + optind, argc - optind);
    run.defaults = dbf_config_new();
    if (run.has_today)
        dbf_config_set_today(run.defaults, run.today);

    struct report *report = report_open(format, stdout, cli_use_colour(colour, stdout), checklist);
    if (files.count > 0 && !lint_files(&files, jobs, &run, report, &policy, &outcome) &&
        !lint_files(&files, 1, &run, report, &policy, &outcome)) {
        cli_error("out of memory");
        outcome.input_error = true;
    }
    report_close(report);
    for (size_t i = 0; i < run.cache_count; i++) {
        free(run.cache[i].path);
        dbf_config_free(run.cache[i].config);
    }
    free(run.cache);
    free(run.folder);
    free(run.folder_found);
    dbf_config_free(run.defaults);
    cli_files_free(&files);
    return outcome.input_error ? EXIT_USAGE : outcome.failed ? EXIT_FINDINGS : 0;
}
