/* server.c: the listening socket, h2o's event loop and graceful shutdown. */
#include "../cli.h"
#include "serve.h"

#include "debrief/lint.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* Set by the signal handler; the loops notice it when epoll_wait returns
 * (the main thread's at once, the others' within WORKER_WAKE_MS). */
static volatile sig_atomic_t stop_signal;

/* The test clock's offset, shared by the threads (server_clock_move). */
static _Atomic int64_t clock_offset;

/* How long a thread other than the main one waits in epoll_wait before it
 * looks at stop_signal again: signals wake only the main thread. */
#define WORKER_WAKE_MS 100

struct parked;

/* Requests waiting for a generation read, in the order they arrived. */
struct parked_queue {
    struct parked *head, *tail;
};

/* One event loop thread: its own h2o context, listener socket (a dup of
 * the listening one), connections and copy of the app with its own store
 * and caches.
 *
 * When the store's generation is a round trip away (PostgreSQL), a request
 * does not wait for its own: it is parked, and one read, sent without
 * waiting, serves every request parked before it was sent (all they must
 * see was committed by then). Requests that come while a read is in flight
 * wait for the next one, sent as soon as that read is done and before the
 * requests it serves run, so the next round trip overlaps their work (the
 * read has a connection of its own). */
struct worker {
    struct server *server;
    struct serve_app app;
    h2o_context_t ctx;
    h2o_accept_ctx_t accept_ctx;
    h2o_socket_t *listener;
    struct connection *connections; /* open ones, to know when all are idle */
    _Atomic long connection_count;
    pthread_t thread;
    bool started;
    struct dbf_store *opened;  /* the store this thread opened, closed at the end */
    struct page_cache *pages;  /* the page cache this thread made */
    struct dbf_config *lint;   /* the lint configuration this thread read */
    bool remote_generation;    /* the store's generation is a round trip away */
    bool reading;              /* a generation read is in flight */
    struct parked_queue waiting; /* parked before the read in flight was sent */
    struct parked_queue next;    /* parked since: for the next read */
    h2o_socket_t *db_watch;    /* a dup of the reads' socket, never read by h2o */
    uint64_t db_connection;    /* the reads' connection db_watch is a dup of */
};

/* A parked request, allocated in its pool: when the request goes first
 * (its client left), disposing of the pool takes it out of its queue. */
struct parked {
    h2o_req_t *req;
    struct parked_queue *queue; /* NULL once out of every queue */
    struct parked *prev, *next;
};

struct server {
    struct serve_app *app;
    h2o_globalconf_t config;
    struct worker *workers;
    size_t worker_count;
};

/* An open client connection. It is idle (nothing in flight: a shutdown may
 * close it) when h2o has read nothing since its last answer ended and holds
 * no unparsed bytes of a pipelined request. */
struct connection {
    struct worker *worker;
    h2o_socket_t *sock;
    size_t bytes_read_when_idle;
    struct connection *prev, *next;
};

static void on_signal(int sig)
{
    stop_signal = sig;
}

int64_t server_clock_move(int64_t seconds)
{
    return atomic_fetch_add(&clock_offset, seconds) + seconds;
}

static struct worker *worker_of(h2o_req_t *req)
{
    return H2O_STRUCT_FROM_MEMBER(struct worker, ctx, req->conn->ctx);
}

/* Answers REQ now, the store's generation known (GENERATION, read by a read
 * sent after REQ came) or read when first needed (NULL). Handlers answer
 * before they return: the scope is the request's. */
static int run_request(struct worker *w, h2o_req_t *req, const char *generation)
{
    struct serve_app *app = &w->app;
    int64_t offset = atomic_load(&clock_offset);
    if (offset != app->clock_offset) {
        app->clock_offset = offset;
        dbf_store_set_clock_offset(app->store, offset);
    }
    if (generation)
        dbf_store_read_begin_known(app->store, generation);
    else
        dbf_store_read_begin(app->store);
    struct response_capture capture;
    int rc = 0;
    if (!response_cache_begin(app, req, &capture)) {
        rc = router_dispatch(app, req);
        response_cache_end(app, req, &capture);
    }
    dbf_store_read_end(app->store);
    return rc;
}

static void queue_push(struct parked_queue *q, struct parked *p)
{
    p->queue = q;
    p->next = NULL;
    p->prev = q->tail;
    if (q->tail)
        q->tail->next = p;
    else
        q->head = p;
    q->tail = p;
}

static void queue_remove(struct parked *p)
{
    struct parked_queue *q = p->queue;
    if (!q)
        return;
    if (p->prev)
        p->prev->next = p->next;
    else
        q->head = p->next;
    if (p->next)
        p->next->prev = p->prev;
    else
        q->tail = p->prev;
    p->queue = NULL;
    p->prev = p->next = NULL;
}

/* Moves everything parked in FROM to the end of TO. */
static void queue_move(struct parked_queue *to, struct parked_queue *from)
{
    while (from->head) {
        struct parked *p = from->head;
        queue_remove(p);
        queue_push(to, p);
    }
}

static void on_parked_disposed(void *data)
{
    queue_remove(data);
}

/* Runs every request parked in Q, in order, with GENERATION (NULL: each
 * reads its own, and answers as the store lets it when that fails). */
static void run_queue(struct worker *w, struct parked_queue *q, const char *generation)
{
    /* One at a time from the head: a request run may close another's
     * connection, which takes that one out of Q. */
    while (q->head) {
        struct parked *p = q->head;
        queue_remove(p);
        /* Handlers answer before they return, and return 0 (router.c). */
        run_request(w, p->req, generation);
    }
}

static void on_db_readable(h2o_socket_t *sock, const char *err);

/* Makes db_watch watch the current connection of the generation reads.
 * False when it cannot: the caller waits for the read without the loop. */
static bool watch_store(struct worker *w)
{
    uint64_t number;
    int fd = dbf_store_generation_socket(w->app.store, &number);
    if (w->db_watch && number == w->db_connection)
        return true;
    if (w->db_watch) {
        h2o_socket_read_stop(w->db_watch);
        h2o_socket_close(w->db_watch);
        w->db_watch = NULL;
    }
    /* h2o closes the socket it is given: it gets a dup, and the flag keeps
     * it from reading what libpq must read. */
    int own = fd < 0 ? -1 : fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0)
        return false;
    w->db_watch = h2o_evloop_socket_create(w->ctx.loop, own, H2O_SOCKET_FLAG_DONT_READ);
    w->db_watch->data = w;
    w->db_connection = number;
    return true;
}

/* The read in flight is over: GENERATION, or NULL when it failed. Runs the
 * requests it serves, then sends the next read for those parked since. */
static void read_done(struct worker *w, const char *generation);

/* Waits for the read in flight without the loop (no watch could be made);
 * its end is handled as read_done() says. */
static void receive_blocking(struct worker *w)
{
    char generation[256];
    bool done = false;
    enum dbf_store_status st = DBF_STORE_OK;
    while (!done) {
        uint64_t number;
        struct pollfd pfd = {.fd = dbf_store_generation_socket(w->app.store, &number),
                             .events = POLLIN};
        if (pfd.fd >= 0)
            poll(&pfd, 1, 1000);
        st = dbf_store_generation_receive(w->app.store, generation, sizeof generation, &done);
    }
    read_done(w, st == DBF_STORE_OK ? generation : NULL);
}

/* Sends a generation read for the requests parked since the last one, if
 * any; when it cannot be sent they run at once, each reading its own (the
 * store resets a lost connection, or they answer 503). */
static void send_read(struct worker *w)
{
    if (w->reading || !w->next.head)
        return;
    if (dbf_store_generation_send(w->app.store) != DBF_STORE_OK) {
        run_queue(w, &w->next, NULL);
        return;
    }
    queue_move(&w->waiting, &w->next);
    w->reading = true;
    if (watch_store(w))
        h2o_socket_read_start(w->db_watch, on_db_readable);
    else
        receive_blocking(w);
}

static void read_done(struct worker *w, const char *generation)
{
    w->reading = false;
    if (w->db_watch)
        h2o_socket_read_stop(w->db_watch);
    struct parked_queue served = {NULL, NULL};
    queue_move(&served, &w->waiting);
    send_read(w);
    run_queue(w, &served, generation);
}

static void on_db_readable(h2o_socket_t *sock, const char *err)
{
    (void)err; /* a broken connection is the store's to find */
    struct worker *w = sock->data;
    if (!w->reading) {
        h2o_socket_read_stop(sock);
        return;
    }
    char generation[256];
    bool done;
    enum dbf_store_status st =
        dbf_store_generation_receive(w->app.store, generation, sizeof generation, &done);
    if (done)
        read_done(w, st == DBF_STORE_OK ? generation : NULL);
}

static int on_request(h2o_handler_t *self, h2o_req_t *req)
{
    (void)self;
    if (!request_check_query(req))
        return 0;
    struct worker *w = worker_of(req);
    if (!w->remote_generation)
        return run_request(w, req, NULL);
    struct parked *p = h2o_mem_alloc_shared(&req->pool, sizeof *p, on_parked_disposed);
    p->req = req;
    queue_push(&w->next, p);
    send_read(w);
    return 0;
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
    (void)self;
    /* h2o's timestamps are the loop's cached clock, too coarse for the end of
     * a fast answer; the request ends now, when h2o disposes of it. */
    struct timeval end;
    gettimeofday(&end, NULL);
    double seconds = seconds_between(req->timestamps.request_begin_at, end);
    const char *route = router_label(req);
    metrics_observe(worker_of(req)->app.metrics, route, req->method, req->res.status, seconds);
    log_access(req, route, seconds);
    struct connection *c = connection_of(req);
    if (c)
        c->bytes_read_when_idle = c->sock->bytes_read;
}

static void on_connection_closed(void *data)
{
    struct connection *c = data;
    struct worker *w = c->worker;
    if (c->prev)
        c->prev->next = c->next;
    else
        w->connections = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c);
    w->connection_count--;
    metrics_connections(w->app.metrics, -1);
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
    struct worker *w = listener->data;
    if (err != NULL)
        return;
    /* Several per wake-up, as h2o's own server does, but bounded so a flood
     * of connects cannot starve the requests already accepted; one at a
     * time when threads share the socket, so each takes its part. */
    int bound = w->server->worker_count > 1 ? 1 : 16;
    for (int i = 0; i < bound; i++) {
        h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
        if (sock == NULL)
            return;
        struct connection *c = calloc(1, sizeof *c);
        if (!c) {
            h2o_socket_close(sock);
            continue;
        }
        c->worker = w;
        c->sock = sock;
        c->next = w->connections;
        if (c->next)
            c->next->prev = c;
        w->connections = c;
        w->connection_count++;
        metrics_connections(w->app.metrics, +1);
        sock->on_close.cb = on_connection_closed;
        sock->on_close.data = c;
        h2o_accept(&w->accept_ctx, sock);
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
    h2o_handler_t *handler = h2o_create_handler(root, sizeof *handler);
    handler->on_req = on_request;
    h2o_pathconf_t *paths[] = {root, &host->fallback_path};
    for (size_t i = 0; i < 2; i++) {
        respond_register_error_filter(paths[i]);
        h2o_logger_t *logger = h2o_create_logger(paths[i], sizeof *logger);
        logger->log_access = on_request_done;
    }
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool all_idle(const struct worker *w)
{
    for (const struct connection *c = w->connections; c; c = c->next) {
        if (!connection_idle(c))
            return false;
    }
    return true;
}

/* Stops accepting and runs the loop until every open connection is idle or
 * the grace period is over. Once shutdown is requested h2o closes each
 * HTTP/1 connection after its current answer; idle keep-alive connections
 * are left for the exit to close, as a keep-alive client expects. */
static void drain(struct worker *w)
{
    h2o_socket_read_stop(w->listener);
    h2o_socket_close(w->listener);
    w->listener = NULL;
    h2o_context_request_shutdown(&w->ctx);
    uint64_t deadline = now_ms() + SERVE_SHUTDOWN_GRACE_MS;
    do {
        h2o_evloop_run(w->ctx.loop, 100);
        fflush(stderr);
    } while (!all_idle(w) && now_ms() < deadline);
}

/* Serves on W's loop until a stop signal, then drains. */
static void worker_loop(struct worker *w, int32_t wait_ms)
{
    while (!stop_signal) {
        h2o_evloop_run(w->ctx.loop, wait_ms);
        fflush(stderr);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    worker_loop(w, WORKER_WAKE_MS);
    drain(w);
    return NULL;
}

/* Readies W, a copy of APP listening on a dup of FD; thread INDEX > 0 opens
 * its own store, page cache and lint configuration. False after printing
 * why it cannot. */
static bool worker_init(struct server *server, struct worker *w, size_t index, int fd)
{
    struct serve_app *app = server->app;
    w->server = server;
    w->app = *app;
    if (index > 0) {
        char err[512] = "";
        w->opened = dbf_store_open(app->db_url, err, sizeof err);
        if (!w->opened) {
            cli_error("cannot open the database %s: %s", app->db, *err ? err : "unknown error");
            return false;
        }
        w->app.store = w->opened;
        w->pages = app->pages ? page_cache_new(app->cache_bytes) : NULL;
        w->app.pages = w->pages;
        w->lint = dbf_config_new();
        if (w->lint && app->lint_config_path &&
            !dbf_config_load(w->lint, app->lint_config_path, err, sizeof err)) {
            cli_error("%s", err);
            return false;
        }
        if (!w->lint || (app->pages && !w->pages)) {
            cli_error("out of memory");
            return false;
        }
        w->app.lint = w->lint;
    }
    int own = index == 0 ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (own < 0) {
        cli_error("cannot share the listening socket: %s", strerror(errno));
        return false;
    }
    w->remote_generation = dbf_store_generation_remote(w->app.store);
    h2o_context_init(&w->ctx, h2o_evloop_create(), &server->config);
    w->accept_ctx.ctx = &w->ctx;
    w->accept_ctx.hosts = server->config.hosts;
    w->listener = h2o_evloop_socket_create(w->ctx.loop, own, H2O_SOCKET_FLAG_DONT_READ);
    w->listener->data = w;
    h2o_socket_read_start(w->listener, on_accept);
    return true;
}

static void worker_release(struct worker *w)
{
    dbf_store_close(w->opened);
    page_cache_free(w->pages);
    dbf_config_free(w->lint);
}

static long open_connections(const struct server *server)
{
    long n = 0;
    for (size_t i = 0; i < server->worker_count; i++)
        n += server->workers[i].connection_count;
    return n;
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
    /* One server per process; h2o's contexts live as long as the process,
     * so the server does too. */
    static struct server the_server;
    struct server *server = &the_server;
    server->app = app;
    server->worker_count = app->threads ? app->threads : 1;
    server->workers = calloc(server->worker_count, sizeof *server->workers);
    configure(server);
    respond_observer = response_cache_capture;
    /* jansson seeds its hashes on first use; do it before there are threads. */
    json_object_seed(0);
    bool ready = server->workers != NULL;
    if (!ready)
        cli_error("out of memory");
    for (size_t i = 0; ready && i < server->worker_count; i++)
        ready = worker_init(server, &server->workers[i], i, fd);
    /* The other threads leave the signals to this one. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (size_t i = 1; ready && i < server->worker_count; i++) {
        struct worker *w = &server->workers[i];
        w->started = pthread_create(&w->thread, NULL, worker_main, w) == 0;
        if (!w->started) {
            cli_error("cannot start an event loop thread");
            ready = false;
            stop_signal = SIGTERM;
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    /* The log is written once per turn of a loop, not once per line: under
     * load one write carries the lines of many requests. */
    static char log_buffer[1 << 16];
    setvbuf(stderr, log_buffer, _IOFBF, sizeof log_buffer);
    if (ready) {
        log_event("listening", json_pack("{s:s,s:s,s:I}", "listen", app->listen, "db", app->db,
                                         "threads", (json_int_t)server->worker_count));
        fflush(stderr);
        /* epoll_wait returns early on a signal; the bound covers one that
         * lands just before the wait starts. */
        worker_loop(&server->workers[0], 1000);
        log_event("stopping",
                  json_pack("{s:s,s:I}", "signal", stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
                            "connections", (json_int_t)open_connections(server)));
        drain(&server->workers[0]);
    }
    bool clean = true;
    for (size_t i = 0; server->workers && i < server->worker_count; i++) {
        struct worker *w = &server->workers[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        clean = clean && all_idle(w);
    }
    if (ready)
        log_event("stopped", json_pack("{s:I,s:b}", "connections_left",
                                       (json_int_t)open_connections(server), "clean", clean));
    fflush(stderr);
    for (size_t i = 0; server->workers && i < server->worker_count; i++)
        worker_release(&server->workers[i]);
    if (opened) {
        dbf_store_close(opened);
        app->store = NULL;
    }
    return ready ? 0 : EXIT_USAGE;
}
