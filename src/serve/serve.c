/* serve.c: `debrief serve`, the team server: its options and configuration. */
#include "serve.h"
#include "../cli.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage_text[] =
    "usage: debrief serve [--listen ADDR:PORT] [--db URL]\n"
    "\n"
    "Serves the web app and the JSON API until SIGTERM or SIGINT, then\n"
    "finishes the requests in flight and exits 0.\n"
    "\n"
    "  -l, --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080;\n"
    "                          [::1]:8080 for IPv6)\n"
    "      --db URL            database (default sqlite:debrief.db;\n"
    "                          postgres://... for PostgreSQL)\n"
    "  -h, --help              show this help\n"
    "\n"
    "Environment: DEBRIEF_LISTEN and DEBRIEF_DB set the same; options win.\n"
    "Routes: /healthz, /metrics (Prometheus), /api/v1/... (JSON).\n"
    "One JSON line per request is logged on standard error.\n"
    "\n"
    "Exit status: 0 after a clean shutdown, 2 when the address cannot be used.\n";

/* A setting: the option's value, else the environment's, else DEFAULT. */
static const char *setting(const char *option, const char *env, const char *fallback)
{
    if (option)
        return option;
    const char *value = getenv(env);
    return value && *value ? value : fallback;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option options[] = {
        {"listen", required_argument, NULL, 'l'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *listen_opt = NULL, *db_opt = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":l:h", options, NULL)) != -1) {
        switch (c) {
        case 'l':
            listen_opt = optarg;
            break;
        case 'd':
            db_opt = optarg;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return 0;
        default:
            return cli_option_error(c, argv, usage_text);
        }
    }
    if (optind < argc) {
        cli_error("'serve' takes no arguments, not '%s'", argv[optind]);
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    if (db_opt && !*db_opt) {
        cli_error("--db takes a database URL like sqlite:debrief.db or postgres://host/db");
        return EXIT_USAGE;
    }
    struct serve_app app = {
        .listen = setting(listen_opt, "DEBRIEF_LISTEN", "127.0.0.1:8080"),
        .db = setting(db_opt, "DEBRIEF_DB", "sqlite:debrief.db"),
        .started = time(NULL),
        .metrics = metrics_new(),
    };
    if (!app.metrics) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int status = server_run(&app);
    metrics_free(app.metrics);
    return status;
}
