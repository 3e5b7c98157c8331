/* server.c: the listening socket, h2o's event loop and graceful shutdown. */
#include "../cli.h"
#include "serve.h"

#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Set by the signal handler; the loop notices it when epoll_wait returns. */
static volatile sig_atomic_t stop_signal;

struct server {
    struct serve_app *app;
    h2o_globalconf_t config;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    struct connection *connections; /* open ones, to know when all are idle */
    long connection_count;
};

/* An open client connection. It is idle (nothing in flight: a shutdown may
 * close it) when h2o has read nothing since its last answer ended and holds
 * no unparsed bytes of a pipelined request. */
struct connection {
    struct server *server;
    h2o_socket_t *sock;
    size_t bytes_read_when_idle;
    struct connection *prev, *next;
};

/* h2o hands each handler its own struct; ours carries the server. */
struct app_handler {
    h2o_handler_t super;
    struct server *server;
};

struct app_logger {
    h2o_logger_t super;
    struct server *server;
};

static void on_signal(int sig)
{
    stop_signal = sig;
}

static int on_request(h2o_handler_t *self, h2o_req_t *req)
{
    struct app_handler *handler = (struct app_handler *)self;
    if (!request_check_query(req))
        return 0;
    return router_dispatch(handler->server->app, req);
}

static double seconds_between(struct timeval from, struct timeval to)
{
    if (from.tv_sec == 0 && from.tv_usec == 0)
        return 0;
    double s = (double)(to.tv_sec - from.tv_sec) + (double)(to.tv_usec - from.tv_usec) / 1e6;
    return s < 0 ? 0 : s;
}

static void on_connection_closed(void *data);

/* The connection REQ came on, when it is one of ours. */
static struct connection *connection_of(h2o_req_t *req)
{
    if (!req->conn->callbacks->get_socket)
        return NULL;
    h2o_socket_t *sock = req->conn->callbacks->get_socket(req->conn);
    if (!sock || sock->on_close.cb != on_connection_closed)
        return NULL;
    return sock->on_close.data;
}

static bool connection_idle(const struct connection *c)
{
    return c->sock->bytes_read == c->bytes_read_when_idle &&
           (!c->sock->input || c->sock->input->size == 0);
}

static void on_request_done(h2o_logger_t *self, h2o_req_t *req)
{
    struct app_logger *logger = (struct app_logger *)self;
    /* h2o's timestamps are the loop's cached clock, too coarse for the end of
     * a fast answer; the request ends now, when h2o disposes of it. */
    struct timeval end;
    gettimeofday(&end, NULL);
    double seconds = seconds_between(req->timestamps.request_begin_at, end);
    const char *route = router_label(req);
    metrics_observe(logger->server->app->metrics, route, req->method, req->res.status, seconds);
    log_access(req, route, seconds);
    struct connection *c = connection_of(req);
    if (c)
        c->bytes_read_when_idle = c->sock->bytes_read;
}

static void on_connection_closed(void *data)
{
    struct connection *c = data;
    struct server *server = c->server;
    if (c->prev)
        c->prev->next = c->next;
    else
        server->connections = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
    server->connection_count--;
    metrics_connections(server->app->metrics, -1);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct server *server = listener->data;
    if (err != NULL)
        return;
    /* Several per wake-up, as h2o's own server does, but bounded so a flood
     * of connects cannot starve the requests already accepted. */
    for (int i = 0; i < 16; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        struct connection *c = calloc(1, sizeof *c);
        if (!c) {
            h2o_socket_close(sock);
            continue;
        }
        c->server = server;
        c->sock = sock;
        c->next = server->connections;
        if (c->next)
            c->next->prev = c;
        server->connections = c;
        server->connection_count++;
        metrics_connections(server->app->metrics, +1);
        sock->on_close.cb = on_connection_closed;
        sock->on_close.data = c;
        h2o_accept(&server->accept_ctx, sock);
    }
}

/* Splits "ADDR:PORT" or "[V6ADDR]:PORT" into HOST and PORT. */
static bool split_listen(const char *text, char *host, size_t host_size, char *port,
                         size_t port_size)
{
    const char *colon;
    const char *h = text;
    size_t hlen;
    if (text[0] == '[') {
        const char *bracket = strchr(text, ']');
        if (!bracket || bracket[1] != ':')
            return false;
        h = text + 1;
        hlen = (size_t)(bracket - h);
        colon = bracket + 1;
    } else {
        colon = strrchr(text, ':');
        if (!colon)
            return false;
        hlen = (size_t)(colon - text);
    }
    const char *p = colon + 1;
    if (hlen == 0 || hlen >= host_size || *p == '\0' || strlen(p) >= port_size)
        return false;
    char *end;
    errno = 0;
    long n = strtol(p, &end, 10);
    if (*end != '\0' || errno || n < 0 || n > 65535)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    snprintf(port, port_size, "%s", p);
    return true;
}

/* A listening, non-blocking socket on ADDRESS, or -1 after printing why. */
static int open_listener(const char *address)
{
    char host[256], port[8];
    if (!split_listen(address, host, sizeof host, port, sizeof port)) {
        cli_error("--listen takes ADDR:PORT (like 127.0.0.1:8080 or [::1]:8080), not '%s'",
                  address);
        return -1;
    }
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *found = NULL;
    int rc = getaddrinfo(host, port, &hints, &found);
    if (rc != 0) {
        cli_error("cannot listen on %s: %s", address, gai_strerror(rc));
        return -1;
    }
    int fd = socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
        bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, SOMAXCONN) != 0) {
        int saved = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(found);
        if (saved == EADDRINUSE)
            cli_error(
                "cannot listen on %s: the address is in use (another server is running there; "
                "choose another with --listen)",
                address);
        else
            cli_error("cannot listen on %s: %s", address, strerror(saved));
        return -1;
    }
    freeaddrinfo(found);
    return fd;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void configure(struct server *server)
{
    h2o_config_init(&server->config);
    server->config.max_request_entity_size = SERVE_MAX_BODY;
    server->config.http1.req_timeout = SERVE_REQUEST_TIMEOUT_MS;
    server->config.server_name = h2o_iovec_init(H2O_STRLIT("debrief"));
    h2o_hostconf_t *host =
        h2o_config_register_host(&server->config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
    h2o_pathconf_t *root = h2o_config_register_path(host, "/", 0);
    struct app_handler *handler = (struct app_handler *)h2o_create_handler(root, sizeof *handler);
    handler->super.on_req = on_request;
    handler->server = server;
    h2o_pathconf_t *paths[] = {root, &host->fallback_path};
    for (size_t i = 0; i < 2; i++) {
        respond_register_error_filter(paths[i]);
        struct app_logger *logger =
            (struct app_logger *)h2o_create_logger(paths[i], sizeof *logger);
        logger->super.log_access = on_request_done;
        logger->server = server;
    }
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool all_idle(const struct server *server)
{
    for (const struct connection *c = server->connections; c; c = c->next) {
        if (!connection_idle(c))
            return false;
    }
    return true;
}

/* Stops accepting and runs the loop until every open connection is idle or
 * the grace period is over. Once shutdown is requested h2o closes each
 * HTTP/1 connection after its current answer; idle keep-alive connections
 * are left for the exit to close, as a keep-alive client expects. */
static void drain(struct server *server)
{
    h2o_socket_read_stop(server->listener);
    h2o_socket_close(server->listener);
    server->listener = NULL;
    h2o_context_request_shutdown(&server->ctx);
    uint64_t deadline = now_ms() + SERVE_SHUTDOWN_GRACE_MS;
    do {
        h2o_evloop_run(server->ctx.loop, 100);
        fflush(stderr);
    } while (!all_idle(server) && now_ms() < deadline);
}

int server_run(struct serve_app *app)
{
    int fd = open_listener(app->listen);
    if (fd < 0)
        return EXIT_USAGE;
    /* Clients may connect as soon as the socket listens: a SIGTERM from then
     * on is a clean stop, even while the database is being opened. */
    install_signals();
    struct dbf_store *opened = NULL;
    if (!app->store) {
        char err[512] = "";
        opened = dbf_store_open(app->db_url, err, sizeof err);
        if (!opened) {
            close(fd);
            cli_error("cannot open the database %s: %s", app->db, *err ? err : "unknown error");
            return EXIT_USAGE;
        }
        app->store = opened;
    }
    /* One server per process; h2o's context lives as long as the process,
     * so the server does too. */
    static struct server the_server;
    struct server *server = &the_server;
    server->app = app;
    configure(server);
    h2o_context_init(&server->ctx, h2o_evloop_create(), &server->config);
    server->accept_ctx.ctx = &server->ctx;
    server->accept_ctx.hosts = server->config.hosts;
    server->listener = h2o_evloop_socket_create(server->ctx.loop, fd, H2O_SOCKET_FLAG_DONT_READ);
    server->listener->data = server;
    h2o_socket_read_start(server->listener, on_accept);

    /* The log is written once per turn of the loop, not once per line: under
     * load one write carries the lines of many requests. */
    static char log_buffer[1 << 16];
    setvbuf(stderr, log_buffer, _IOFBF, sizeof log_buffer);
    log_event("listening", json_pack("{s:s,s:s}", "listen", app->listen, "db", app->db));
    fflush(stderr);
    /* epoll_wait returns early on a signal; the bound covers one that lands
     * just before the wait starts. */
    while (!stop_signal) {
        h2o_evloop_run(server->ctx.loop, 1000);
        fflush(stderr);
    }
    log_event("stopping",
              json_pack("{s:s,s:I}", "signal", stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                        "connections", (json_int_t)server->connection_count));
    drain(server);
    log_event("stopped",
              json_pack("{s:I,s:b}", "connections_left", (json_int_t)server->connection_count,
                        "clean", all_idle(server)));
    fflush(stderr);
    if (opened) {
        dbf_store_close(opened);
        app->store = NULL;
    }
    return 0;
}
