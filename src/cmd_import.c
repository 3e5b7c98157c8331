/* cmd_import.c: `debrief import`: a folder of post mortems (a git checkout,
 * say) into the team server's database, as new post mortems or new
 * revisions.
 *
 * Importing is idempotent: a file whose text is the newest revision's, byte
 * for byte, changes nothing, so running it again after a git pull adds
 * revisions only for the files that changed. The same holds for the files
 * a post mortem names (metric files, images): each is kept with it, and the
 * store adds a version only when its bytes changed. */
#include "cli.h"
#include "store_cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char usage_text[] =
    "usage: debrief import DIR [--as USER] [--team TEAM] [--db URL]\n"
    "\n"
    "Loads every post mortem (*.md, README.md aside) under DIR into the team\n"
    "server's database: a new id becomes a new post mortem, a changed file a new\n"
    "revision, and an unchanged file nothing. The files a post mortem names\n"
    "(metrics files in its front matter, local images in its Markdown) are read\n"
    "from its folder, never from outside it, and kept with it; a file whose\n"
    "bytes changed gets a new version.\n"
    "\n"
    "      --as USER         the author recorded (default: the first admin)\n"
    "  -t, --team TEAM       owner team of new post mortems whose front matter has\n"
    "                        no owner_team\n"
    "      --db URL          database (default $DEBRIEF_DB, else sqlite:debrief.db;\n"
    "                        postgres://... for PostgreSQL)\n"
    "  -h, --help            show this help\n"
    "\n"
    "The id is the front matter's id, else the file name without .md; the front\n"
    "matter's visibility (restricted or security: true) and owner_team apply.\n"
    "A named file that is missing, outside the folder, not a regular file or\n"
    "over 16 MiB is a warning: the post mortem is imported without it.\n"
    "Prints what it did, then: N created, N updated, N unchanged, N failed;\n"
    "N files stored, N unchanged, N not stored.\n"
    "After writing, the import does the database's upkeep of what it wrote\n"
    "(PostgreSQL: VACUUM ANALYZE of the tables autovacuum would take up), so a\n"
    "server on it runs at full speed at once.\n"
    "\n"
    "Exit status: 0 done, 1 some post mortem failed or a file one names was not\n"
    "stored (the rest was done), 2 a usage error.\n";

struct import_run {
    struct dbf_store *store;
    struct dbf_user author;
    const char *default_team; /* --team, or NULL */
    size_t created, updated, unchanged, failed;
    size_t files_stored, files_unchanged, files_not_stored;
    /* The ids seen so far and the files they came from, so that two files
     * with one id are caught rather than saved over each other. */
    char **seen_ids;
    char **seen_paths;
    size_t seen_count;
};

static bool is_readme(const char *path)
{
    const char *slash = strrchr(path, '/');
    return strcasecmp(slash ? slash + 1 : path, "README.md") == 0;
}

/* The file that had ID already in this run, or NULL; remembers ID. */
static const char *seen_before(struct import_run *run, const char *id, const char *path)
{
    for (size_t i = 0; i < run->seen_count; i++) {
        if (strcmp(run->seen_ids[i], id) == 0)
            return run->seen_paths[i];
    }
    char *copy = strdup(id), *kept = strdup(path);
    if (copy && kept) {
        run->seen_ids[run->seen_count] = copy;
        run->seen_paths[run->seen_count++] = kept;
    } else {
        free(copy);
        free(kept);
    }
    return NULL;
}

/* A post mortem new to the database. False after printing why. */
static bool create(struct import_run *run, const char *path, const struct dbf_ingest *in)
{
    const char *team_name = in->owner_team[0] ? in->owner_team : run->default_team;
    if (!team_name) {
        cli_error("%s: no owner team: give 'owner_team:' in the front matter or --team", path);
        return false;
    }
    struct dbf_team team;
    enum dbf_store_status st = dbf_store_team_get(run->store, team_name, &team);
    if (st == DBF_STORE_NOT_FOUND) {
        cli_error("%s: owner team '%s' does not exist; add it with 'debrief team add %s'", path,
                  team_name, team_name);
        return false;
    }
    if (st == DBF_STORE_OK)
        st = dbf_store_pm_create(run->store, in->slug, team.id, in->visibility, &in->content,
                                 run->author.id, NULL);
    if (st == DBF_STORE_CONFLICT) {
        cli_error("%s: the id '%s' is taken by a post mortem '%s' may not see", path, in->slug,
                  run->author.name);
        return false;
    }
    /* A restricted post mortem names its author when they are not of its
     * team, as the server does, so that they still see it and the next
     * import finds it. */
    if (st == DBF_STORE_OK &&
        dbf_store_pm_visible(run->store, run->author.id, in->slug) == DBF_STORE_NOT_FOUND)
        st = dbf_store_pm_grant(run->store, in->slug, run->author.id, 0);
    if (st != DBF_STORE_OK) {
        cli_store_error(run->store, st, "%s: cannot create '%s'", path, in->slug);
        return false;
    }
    printf("created %s (%s)\n", in->slug, path);
    run->created++;
    return true;
}

/* What the front matter says of the owner team and the visibility, applied
 * to post mortem PM when it differs. False after printing why. */
static bool apply_settings(struct import_run *run, const char *path, const struct dbf_ingest *in,
                           const struct dbf_postmortem *pm)
{
    enum dbf_store_status st = DBF_STORE_OK;
    if (in->owner_team[0] && strcmp(in->owner_team, pm->owner_team_name) != 0) {
        struct dbf_team team;
        if (!cli_team_find(run->store, in->owner_team, &team))
            return false;
        st = dbf_store_pm_reassign(run->store, in->slug, team.id, run->author.id,
                                   "owner_team changed in the imported file");
    }
    if (st == DBF_STORE_OK && in->visibility_given && in->visibility != pm->visibility)
        st = dbf_store_pm_set_visibility(run->store, in->slug, in->visibility, run->author.id,
                                         "visibility changed in the imported file");
    if (st != DBF_STORE_OK) {
        cli_store_error(run->store, st, "%s: cannot update '%s'", path, in->slug);
        return false;
    }
    return true;
}

/* A post mortem the database has: a new revision when the text differs.
 * False after printing why. */
static bool update(struct import_run *run, const char *path, const struct dbf_ingest *in,
                   const struct dbf_postmortem *pm)
{
    struct dbf_revision newest;
    enum dbf_store_status st =
        dbf_store_revision_get(run->store, run->author.id, in->slug, 0, &newest);
    if (st != DBF_STORE_OK) {
        cli_store_error(run->store, st, "%s: cannot read '%s'", path, in->slug);
        return false;
    }
    const char *text = in->content.markdown;
    bool same = newest.length == strlen(text) && memcmp(newest.markdown, text, newest.length) == 0;
    int base = newest.number, number = 0;
    dbf_revision_release(&newest);
    if (same) {
        run->unchanged++;
        return true;
    }
    st = dbf_store_revision_save(run->store, in->slug, base, &in->content, run->author.id, &number);
    if (st == DBF_STORE_CONFLICT) {
        cli_error("%s: '%s' received revision %d while importing; run the import again", path,
                  in->slug, number);
        return false;
    }
    if (st != DBF_STORE_OK) {
        cli_store_error(run->store, st, "%s: cannot save '%s'", path, in->slug);
        return false;
    }
    if (!apply_settings(run, path, in, pm))
        return false;
    printf("updated %s to revision %d (%s)\n", in->slug, number, path);
    run->updated++;
    return true;
}

/* The newest version of NAME among the KEPT, or 0. */
static int kept_version(const struct dbf_attachment *kept, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(kept[i].name, name) == 0)
            return kept[i].version;
    return 0;
}

/* The files the post mortem at PATH names, kept with it. One that cannot
 * be read or kept is a warning: the post mortem stays imported. */
static void store_named_files(struct import_run *run, const char *path, const struct dbf_ingest *in)
{
    struct cli_named_files files;
    if (!cli_named_files_list(path, in->doc, &files)) {
        run->files_not_stored++;
        cli_named_files_release(&files);
        return;
    }
    struct dbf_attachment *kept = NULL;
    size_t kept_count = 0;
    enum dbf_store_status st = files.count ? dbf_store_attachments(run->store, run->author.id,
                                                                   in->slug, &kept, &kept_count)
                                           : DBF_STORE_OK;
    if (st != DBF_STORE_OK) {
        cli_store_error(run->store, st, "warning: %s: the files of '%s' are not stored", path,
                        in->slug);
        run->files_not_stored += files.count;
    }
    for (size_t i = 0; st == DBF_STORE_OK && i < files.count; i++) {
        struct cli_named_file *file = &files.items[i];
        if (!cli_named_file_load(&files, file)) {
            cli_named_file_warn(path, file, "stored");
            run->files_not_stored++;
            continue;
        }
        struct dbf_attachment added;
        enum dbf_store_status put = dbf_store_attachment_put(
            run->store, in->slug, file->name, file->data, file->len, run->author.id, &added);
        cli_named_file_unload(file);
        if (put != DBF_STORE_OK) {
            cli_store_error(run->store, put, "warning: %s: file '%s' is not stored", path,
                            file->name);
            run->files_not_stored++;
        } else if (added.version == kept_version(kept, kept_count, file->name)) {
            run->files_unchanged++;
        } else {
            printf("stored %s of %s as version %d (%s)\n", file->name, in->slug, added.version,
                   path);
            run->files_stored++;
        }
        dbf_attachment_release(&added);
    }
    dbf_attachments_free(kept, kept_count);
    cli_named_files_release(&files);
}

static void import_file(struct import_run *run, const char *path)
{
    struct cli_pm_file file;
    char err[768];
    bool ok = cli_pm_file_read(path, &file, err, sizeof err);
    const struct dbf_ingest *in = &file.ingest;
    if (!ok) {
        cli_error("%s", err);
    } else {
        const char *other = seen_before(run, in->slug, path);
        struct dbf_postmortem pm;
        enum dbf_store_status st;
        if (other) {
            cli_error("%s: the id '%s' is also the id of '%s'; give one of them another 'id:'",
                      path, in->slug, other);
            ok = false;
        } else if ((st = dbf_store_pm_get(run->store, run->author.id, in->slug, &pm)) ==
                   DBF_STORE_OK) {
            ok = update(run, path, in, &pm);
            dbf_postmortem_release(&pm);
        } else if (st == DBF_STORE_NOT_FOUND) {
            ok = create(run, path, in);
        } else {
            cli_store_error(run->store, st, "%s: cannot look up '%s'", path, in->slug);
            ok = false;
        }
    }
    if (ok)
        store_named_files(run, path, in);
    cli_pm_file_release(&file);
    if (!ok)
        run->failed++;
}

/* After writing: the database's upkeep of what was written (statistics,
 * vacuum), done now so that a server on it runs at full speed at once
 * rather than once the database's background maintenance catches up. The
 * import itself is done either way: a failure here is a warning. */
static void settle(struct import_run *run)
{
    if (run->created + run->updated + run->files_stored == 0)
        return;
    enum dbf_store_status st = dbf_store_optimize(run->store);
    if (st != DBF_STORE_OK)
        cli_store_error(run->store, st,
                        "warning: the database's statistics were not brought up to date");
}

/* The author: --as USER, who must be allowed to write, else the first
 * admin. */
static bool find_author(struct import_run *run, const char *as)
{
    if (!as)
        return cli_first_admin(run->store, &run->author);
    if (!cli_user_find(run->store, as, &run->author))
        return false;
    if (run->author.role == DBF_ROLE_VIEWER) {
        cli_error("'%s' is a viewer and may not write post mortems; pass --as an author", as);
        return false;
    }
    return true;
}

int cmd_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"as", required_argument, NULL, 'a'},
        {"team", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *as = NULL, *team = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":t:h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'a':
            as = optarg;
            break;
        case 't':
            team = optarg;
            break;
        default:
            return cli_option_help_or_error(c, argv, usage_text);
        }
    }
    if (!cli_option_one_folder(argc, argv, "import", "the folder of post mortems to load",
                               usage_text))
        return EXIT_USAGE;
    struct cli_files files = {0};
    if (!cli_files_collect(&files, argv + optind, 1)) {
        cli_files_free(&files);
        return EXIT_USAGE;
    }
    struct import_run run = {.default_team = team};
    run.store = cli_store_open(db);
    run.seen_ids = calloc(files.count + 1, sizeof *run.seen_ids);
    run.seen_paths = calloc(files.count + 1, sizeof *run.seen_paths);
    struct dbf_team default_team;
    int status = EXIT_USAGE;
    if (run.store && run.seen_ids && run.seen_paths && find_author(&run, as) &&
        (!team || cli_team_find(run.store, team, &default_team))) {
        for (size_t i = 0; i < files.count; i++) {
            char buf[PATH_MAX];
            const char *path = cli_files_path(&files, i, buf, sizeof buf);
            if (!path) {
                cli_error("a path is longer than %d bytes", PATH_MAX);
                run.failed++;
            } else if (!is_readme(path)) {
                import_file(&run, path);
            }
        }
        settle(&run);
        printf("%zu created, %zu updated, %zu unchanged, %zu failed; %zu file%s stored, %zu "
               "unchanged, %zu not stored\n",
               run.created, run.updated, run.unchanged, run.failed, run.files_stored,
               run.files_stored == 1 ? "" : "s", run.files_unchanged, run.files_not_stored);
        status = run.failed || run.files_not_stored ? EXIT_FINDINGS : 0;
    } else if (run.store && (!run.seen_ids || !run.seen_paths)) {
        cli_error("out of memory");
    }
    for (size_t i = 0; i < run.seen_count; i++)
        free(run.seen_ids[i]);
    for (size_t i = 0; i < run.seen_count; i++)
        free(run.seen_paths[i]);
    free(run.seen_ids);
    free(run.seen_paths);
    if (run.store)
        dbf_store_close(run.store);
    cli_files_free(&files);
    return status;
}
