/* pg_probe.c: one store connection driven line by line from standard input,
 * for the tests of test_pg_store.py, which play several servers sharing
 * one PostgreSQL database and stop, kill and restart that database under
 * them.
 *
 * Usage: pg_probe URL. Each line is a command; each answer is one line,
 * "STATUS NUMBER MESSAGE" (STATUS as dbf_store_status_name() writes it,
 * with '-' for spaces):
 *   open                    opens the store (runs the migrations)
 *   setup SLUG              adds SLUG, owned by team ops, written by the admin
 *                           ada (both added when missing)
 *   get SLUG                reads SLUG; NUMBER is its newest revision
 *   save SLUG BASE TEXT     saves TEXT on revision BASE; NUMBER is the
 *                           new revision, or the newest on a conflict
 *   big SLUG BASE N         saves on revision BASE a document of N distinct
 *                           ids (as a log dump holds), first "id0"
 *   long SLUG BASE N        saves on revision BASE a document whose title,
 *                           tag and action item owner are N bytes long
 *   search WORDS            NUMBER is how many post mortems hold them all
 *   attach SLUG NAME N SEED adds as NAME of SLUG N bytes made from SEED (every
 *                           byte value, NUL too); NUMBER is the version,
 *                           MESSAGE the bytes' FNV-1a checksum on success
 *   fetch SLUG NAME VERSION reads version VERSION (0: the newest) of NAME;
 *                           NUMBER is its length, MESSAGE "VERSION CHECKSUM"
 *   version                 NUMBER is the schema version
 *   close                   closes the store */
#include "debrief/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct dbf_store *store;
static int64_t admin;

static void answer(enum dbf_store_status status, long number, const char *message)
{
    char name[32];
    snprintf(name, sizeof name, "%s", dbf_store_status_name(status));
    for (char *p = name; *p; p++)
        if (*p == ' ')
            *p = '-';
    printf("%s %ld %s\n", name, number, message);
    fflush(stdout);
}

static void answer_store(enum dbf_store_status status, long number)
{
    answer(status, number, dbf_store_message(store));
}

static void open_store(const char *url)
{
    char err[512] = "";
    if (store)
        dbf_store_close(store);
    store = dbf_store_open(url, err, sizeof err);
    answer(store ? DBF_STORE_OK : DBF_STORE_UNAVAILABLE, 0, err);
}

static void setup(const char *slug)
{
    struct dbf_user u;
    struct dbf_team t;
    enum dbf_store_status st = dbf_store_user_get(store, "ada", &u);
    if (st == DBF_STORE_NOT_FOUND)
        st = dbf_store_user_add(store, "ada", "probe-pass", DBF_ROLE_ADMIN, &u.id);
    admin = u.id;
    if (st == DBF_STORE_OK && (st = dbf_store_team_get(store, "ops", &t)) == DBF_STORE_NOT_FOUND)
        st = dbf_store_team_add(store, "ops", &t.id);
    if (st == DBF_STORE_OK) {
        struct dbf_pm_content c = {.markdown = "# Probe\n", .title = "Probe"};
        st = dbf_store_pm_create(store, slug, t.id, DBF_VISIBILITY_PUBLIC, &c, admin, NULL);
    }
    answer_store(st, 0);
}

static void find_admin(void)
{
    struct dbf_user u;
    if (!admin && dbf_store_user_get(store, "ada", &u) == DBF_STORE_OK)
        admin = u.id;
}

static void get(const char *slug)
{
    struct dbf_postmortem pm;
    enum dbf_store_status st = dbf_store_pm_get(store, admin, slug, &pm);
    answer_store(st, st == DBF_STORE_OK ? pm.revision : 0);
    if (st == DBF_STORE_OK)
        dbf_postmortem_release(&pm);
}

/* Cuts the first word off *REST; NULL when there is none. */
static char *word(char **rest)
{
    char *start = *rest;
    if (!start || !*start)
        return NULL;
    char *space = strchr(start, ' ');
    if (space) {
        *space = '\0';
        *rest = space + 1;
    } else {
        *rest = NULL;
    }
    return start;
}

static void save(char *args)
{
    char *slug = word(&args);
    char *base = word(&args);
    char *text = args;
    if (!slug || !base || !text || !*text) {
        answer(DBF_STORE_INVALID, 0, "save SLUG BASE TEXT");
        return;
    }
    find_admin();
    int number = 0;
    struct dbf_pm_content c = {.markdown = text, .title = "Probe"};
    enum dbf_store_status st = dbf_store_revision_save(store, slug, atoi(base), &c, admin, &number);
    answer_store(st, number);
}

static void save_big(char *args)
{
    char *slug = word(&args);
    char *base = word(&args);
    long n = args ? atol(args) : 0;
    if (!slug || !base || n <= 0) {
        answer(DBF_STORE_INVALID, 0, "big SLUG BASE N");
        return;
    }
    size_t size = (size_t)n * 20 + 64;
    char *text = malloc(size);
    if (!text) {
        answer(DBF_STORE_INTERNAL, 0, "out of memory");
        return;
    }
    size_t used = (size_t)snprintf(text, size, "# Log dump\n\n");
    for (long i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, size - used, "id%lx%s", i * 2654435761UL,
                                 i % 12 == 11 ? "\n" : " ");
    find_admin();
    int number = 0;
    struct dbf_pm_content c = {.markdown = text, .title = "Log dump"};
    enum dbf_store_status st = dbf_store_revision_save(store, slug, atoi(base), &c, admin, &number);
    answer_store(st, number);
    free(text);
}

static void save_long(char *args)
{
    char *slug = word(&args);
    char *base = word(&args);
    long n = args ? atol(args) : 0;
    if (!slug || !base || n <= 0) {
        answer(DBF_STORE_INVALID, 0, "long SLUG BASE N");
        return;
    }
    char *text = malloc((size_t)n + 1);
    if (!text) {
        answer(DBF_STORE_INTERNAL, 0, "out of memory");
        return;
    }
    /* Letters that do not compress, as a long text would not. */
    unsigned long seed = 12345;
    for (long i = 0; i < n; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        text[i] = (char)('a' + (seed >> 33) % 26);
    }
    text[n] = '\0';
    find_admin();
    int number = 0;
    struct dbf_pm_action action = {.number = 1, .description = "Fix it", .owner = text};
    struct dbf_pm_content c = {
        .markdown = "# Long\n", .title = text, .tags = text, .actions = &action, .action_count = 1};
    enum dbf_store_status st = dbf_store_revision_save(store, slug, atoi(base), &c, admin, &number);
    answer_store(st, number);
    free(text);
}

static void search(const char *words)
{
    struct dbf_postmortem_list list;
    struct dbf_pm_filter filter = {.query = words};
    enum dbf_store_status st = dbf_store_pm_list(store, admin, &filter, &list);
    answer_store(st, st == DBF_STORE_OK ? (long)list.total : 0);
    if (st == DBF_STORE_OK)
        dbf_postmortem_list_release(&list);
}

/* FNV-1a, 64 bits, in hex: enough to tell bytes apart in a test. */
static void checksum(const unsigned char *data, size_t len, char out[17])
{
    unsigned long long h = 14695981039346656037ULL;
    for (size_t i = 0; i < len; i++)
        h = (h ^ data[i]) * 1099511628211ULL;
    snprintf(out, 17, "%016llx", h);
}

static void attach(char *args)
{
    char *slug = word(&args);
    char *name = word(&args);
    char *size = word(&args);
    char *seed_text = args;
    if (!slug || !name || !size || !seed_text) {
        answer(DBF_STORE_INVALID, 0, "attach SLUG NAME N SEED");
        return;
    }
    size_t n = (size_t)atol(size);
    unsigned char *data = malloc(n ? n : 1);
    if (!data) {
        answer(DBF_STORE_INTERNAL, 0, "out of memory");
        return;
    }
    unsigned long seed = strtoul(seed_text, NULL, 10);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 6364136223846793005UL + 1442695040888963407UL;
        data[i] = (unsigned char)(seed >> 56);
    }
    find_admin();
    struct dbf_attachment a;
    enum dbf_store_status st = dbf_store_attachment_put(store, slug, name, data, n, admin, &a);
    char sum[17];
    checksum(data, n, sum);
    free(data);
    if (st == DBF_STORE_OK)
        answer(st, a.version, sum);
    else
        answer_store(st, 0);
    dbf_attachment_release(&a);
}

static void fetch(char *args)
{
    char *slug = word(&args);
    char *name = word(&args);
    char *version = args;
    if (!slug || !name || !version) {
        answer(DBF_STORE_INVALID, 0, "fetch SLUG NAME VERSION");
        return;
    }
    find_admin();
    unsigned char *data;
    size_t len;
    struct dbf_attachment meta;
    enum dbf_store_status st =
        dbf_store_attachment_get(store, admin, slug, name, atoi(version), &data, &len, &meta);
    if (st != DBF_STORE_OK) {
        answer_store(st, 0);
        return;
    }
    char sum[17], message[64];
    checksum(data, len, sum);
    snprintf(message, sizeof message, "%d %s", meta.version, sum);
    answer(st, (long)len, message);
    free(data);
    dbf_attachment_release(&meta);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: pg_probe URL\n");
        return 2;
    }
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        char *args = strchr(line, ' ');
        if (args)
            *args++ = '\0';
        if (strcmp(line, "open") == 0) {
            open_store(argv[1]);
        } else if (!store) {
            answer(DBF_STORE_INVALID, 0, "not open");
        } else if (strcmp(line, "setup") == 0 && args) {
            setup(args);
        } else if (strcmp(line, "get") == 0 && args) {
            find_admin();
            get(args);
        } else if (strcmp(line, "save") == 0 && args) {
            save(args);
        } else if (strcmp(line, "big") == 0 && args) {
            save_big(args);
        } else if (strcmp(line, "long") == 0 && args) {
            save_long(args);
        } else if (strcmp(line, "search") == 0 && args) {
            find_admin();
            search(args);
        } else if (strcmp(line, "attach") == 0 && args) {
            attach(args);
        } else if (strcmp(line, "fetch") == 0 && args) {
            fetch(args);
        } else if (strcmp(line, "version") == 0) {
            int version = 0;
            enum dbf_store_status st = dbf_store_schema_version(store, &version);
            answer_store(st, version);
        } else if (strcmp(line, "close") == 0) {
            dbf_store_close(store);
            store = NULL;
            answer(DBF_STORE_OK, 0, "");
        } else {
            answer(DBF_STORE_INVALID, 0, "unknown command");
        }
    }
    dbf_store_close(store);
    return 0;
}
