#!/usr/bin/env python3
"""pgtmp.py: a private, throw-away PostgreSQL 15 server for tests.

The server comes from Debian's `postgresql` package (/usr/lib/postgresql/15/bin;
PGTMP_BINDIR overrides). It keeps its data in a temporary folder, listens on a
free port of 127.0.0.1 and on a unix socket inside that folder, trusts every
local connection (test use only), runs with fsync on and max_connections 200.
PostgreSQL refuses to run as root: when root, the server runs as the `postgres`
system user (or `debrief-pg`, created when neither exists) and the folder is
handed over to that user.

Command line:
    pgtmp.py start DIR        start a server in DIR (created when missing),
                              detached; prints its URL and writes it to DIR/url
    pgtmp.py stop DIR         stop the server started in DIR (DIR is kept)
    pgtmp.py run -- CMD ARGS  start a server in a temp folder, run CMD with
                              DEBRIEF_TEST_STORE_URL and DEBRIEF_TEST_PG_URL set
                              to its URL, stop it, remove the folder and exit
                              with CMD's status (the server is stopped also on
                              failure or on SIGINT/SIGTERM/SIGHUP)

Module:
    from pgtmp import PgServer
    pg = PgServer()           # or PgServer(base_dir) to keep the folder
    pg.start()                # pg.url: postgres://postgres@127.0.0.1:PORT/postgres
    url = pg.create_database("case1")
    pg.stop_fast(); pg.start_again()   # stop and start the same data folder
    pg.restart()              # the two above in one
    pg.kill(); pg.start_again()        # a crash (SIGKILL) and its recovery
    pg.stop()                 # stops the server, removes a temp folder
PgServer is also a context manager. A watchdog process stops the server and
removes a temp folder when the Python process that started it dies, even by
SIGKILL, so no postgres is ever left running after the tests.

Startup is fast because initdb runs once per PostgreSQL version: its result is
kept in $TMPDIR/debrief-pgtmp-UID/ and copied for each server. Set
PGTMP_NO_CACHE=1 to run initdb every time.
"""

import errno
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

BINDIR = os.environ.get("PGTMP_BINDIR", "/usr/lib/postgresql/15/bin")
HOST = "127.0.0.1"
SUPERUSER = "postgres"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
SERVER_SETTINGS = {
    "listen_addresses": "'%s'" % HOST,
    "fsync": "on",
    "max_connections": "200",
    "shared_buffers": "32MB",
    "logging_collector": "off",
    "log_min_messages": "warning",
    "dynamic_shared_memory_type": "posix",
    "max_wal_size": "256MB",
}


class PgError(Exception):
    """A PostgreSQL server that could not be set up, started or stopped."""


def _binary(name):
    path = os.path.join(BINDIR, name)
    if not os.access(path, os.X_OK):
        raise PgError(
            "PostgreSQL 15 server binaries not found (%s is missing): install the "
            "Debian package `postgresql` (apt-get install -y postgresql), or set "
            "PGTMP_BINDIR to the folder holding initdb and postgres" % path
        )
    return path


def _server_account():
    """The (uid, gid) the server runs as: ours, or a system user when root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "debrief-pg"):
        try:
            entry = pwd.getpwnam(name)
            return entry.pw_uid, entry.pw_gid
        except KeyError:
            pass
    try:
        subprocess.run(
            ["useradd", "--system", "--user-group", "--no-create-home",
             "--shell", "/usr/sbin/nologin", "debrief-pg"],
            check=True, capture_output=True, text=True,
        )
    except (OSError, subprocess.CalledProcessError) as e:
        detail = getattr(e, "stderr", "") or str(e)
        raise PgError("running as root and no `postgres` user exists; could not "
                      "create the user debrief-pg: %s" % detail.strip())
    entry = pwd.getpwnam("debrief-pg")
    return entry.pw_uid, entry.pw_gid


def _as_account(account):
    """Popen keyword arguments that run a child as the server's account."""
    if account is None:
        return {}
    return {"user": account[0], "group": account[1], "extra_groups": []}


def _chown_tree(path, account):
    if account is None:
        return
    os.chown(path, account[0], account[1])
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), account[0], account[1])


def _check_reachable(path, account):
    """Fail clearly when the server's account cannot reach path."""
    if account is None:
        return
    parent = os.path.dirname(os.path.abspath(path))
    while True:
        st = os.stat(parent)
        if st.st_uid != account[0] and not st.st_mode & 0o001:
            raise PgError("the folder %s is not reachable by the server's user (uid %d): "
                          "%s is not searchable by others; use a folder under /tmp"
                          % (path, account[0], parent))
        if parent == "/":
            return
        parent = os.path.dirname(parent)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _tail(path, lines=30):
    try:
        with open(path, "r", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def _alive(pid):
    """Whether pid is a running (not zombie) process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True


def _postmaster_pid(data_dir):
    """The pid of the postmaster running on data_dir, or None. A pid file
    left by a killed server names a pid that may now be another process's:
    only a running postgres whose command line names data_dir counts."""
    try:
        with open(os.path.join(data_dir, "postmaster.pid")) as f:
            pid = int(f.readline().strip())
    except (OSError, ValueError):
        return None
    if not _alive(pid):
        return None
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            args = f.read().split(b"\0")
    except OSError:
        return pid
    return pid if os.fsencode(data_dir) in args else None


def _group_gone(pgid):
    """Whether no running (non-zombie) process is left in group pgid."""
    try:
        names = os.listdir("/proc")
    except OSError:
        names = []
    if not names:
        try:
            os.killpg(pgid, 0)
            return False
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
            return False
    return True


def _kill_group(pgid, timeout=10.0):
    """SIGKILL to the server's process group (the postmaster leads it, as it
    was started in a session of its own): it and every backend die at once,
    as in a crash. Waits until none is left, so the data folder is free."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _group_gone(pgid):
            return True
        time.sleep(0.02)
    return False


def _signal_and_wait(pid, timeout):
    """Fast shutdown, then immediate, then SIGKILL to the whole process
    group; True once pid is gone."""
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return True
            time.sleep(0.02)
    _kill_group(pid)
    return not _alive(pid)


def _template(account):
    """A data folder made by initdb, cached per version and account."""
    initdb = _binary("initdb")
    version = subprocess.run([_binary("postgres"), "--version"], capture_output=True,
                             text=True, check=True).stdout.strip()
    owner = account[0] if account else os.geteuid()
    tag = "".join(c if c.isalnum() or c in ".-" else "_" for c in version)
    cache = os.path.join(tempfile.gettempdir(), "debrief-pgtmp-%d" % os.geteuid())
    final = os.path.join(cache, "%s-owner%d" % (tag, owner))
    if os.path.isfile(os.path.join(final, "PG_VERSION")):
        return final
    os.makedirs(cache, mode=0o755, exist_ok=True)
    os.chmod(cache, 0o755)
    work = tempfile.mkdtemp(prefix="initdb-", dir=cache)
    os.chmod(work, 0o755)
    data = os.path.join(work, "data")
    _chown_tree(work, account)
    try:
        _initdb(initdb, data, account, work)
        try:
            os.rename(data, final)
        except OSError as e:
            if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def _initdb(initdb, data, account, cwd):
    result = subprocess.run(
        [initdb, "-D", data, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
         "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
        capture_output=True, text=True, cwd=cwd, **_as_account(account),
    )
    if result.returncode != 0:
        raise PgError("initdb failed (status %d):\n%s%s"
                      % (result.returncode, result.stdout, result.stderr))


WATCHDOG = r"""
import os, shutil, signal, sys, time
sys.path.insert(0, %(here)r)
import pgtmp
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGHUP, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
word = sys.stdin.read()
if word != "done":
    pid = pgtmp._postmaster_pid(%(data)r)
    if pid is not None:
        pgtmp._signal_and_wait(pid, 10.0)
    if %(remove)r:
        shutil.rmtree(%(base)r, ignore_errors=True)
"""


class PgServer:
    """One private PostgreSQL server; see the module's docstring."""

    def __init__(self, base_dir=None):
        self._keep = base_dir is not None
        self.base_dir = os.path.abspath(base_dir) if base_dir else None
        self.data_dir = None
        self.socket_dir = None
        self.log_path = None
        self.port = None
        self.url = None
        self._account = None
        self._process = None
        self._watchdog = None

    # lifecycle ----------------------------------------------------------

    def start(self, detach=False):
        """Creates the data folder and starts the server; returns self.url.

        detach=True leaves the server running after this process (for
        `pgtmp.py start`): no watchdog, stop it with stop_folder(DIR)."""
        _binary("postgres")
        self._account = _server_account()
        if self.base_dir is None:
            self.base_dir = tempfile.mkdtemp(prefix="debrief-pg-")
        _check_reachable(self.base_dir, self._account)
        os.makedirs(self.base_dir, exist_ok=True)
        os.chmod(self.base_dir, 0o700)
        self.data_dir = os.path.join(self.base_dir, "data")
        self.socket_dir = self.base_dir
        self.log_path = os.path.join(self.base_dir, "postgres.log")
        try:
            if not detach:
                self._start_watchdog()
            if not os.path.isfile(os.path.join(self.data_dir, "PG_VERSION")):
                self._create_data()
            _chown_tree(self.base_dir, self._account)
            self._launch(detach)
        except BaseException:
            self._abandon()
            raise
        return self.url

    def _create_data(self):
        if os.environ.get("PGTMP_NO_CACHE"):
            _chown_tree(self.base_dir, self._account)
            _initdb(_binary("initdb"), self.data_dir, self._account, self.base_dir)
            return
        template = _template(self._account)
        result = subprocess.run(["cp", "-a", template, self.data_dir],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise PgError("could not copy the initdb template %s: %s"
                          % (template, result.stderr.strip()))

    def _start_watchdog(self):
        code = WATCHDOG % {
            "here": os.path.dirname(os.path.abspath(__file__)),
            "data": self.data_dir, "base": self.base_dir, "remove": not self._keep,
        }
        self._watchdog = subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, text=True,
        )

    def _launch(self, detach):
        last = ""
        new_port = self.port is None
        for _attempt in range(20):
            if new_port:
                self.port = _free_port()
            new_port = False
            self._write_settings()
            log = open(self.log_path, "ab")
            try:
                process = subprocess.Popen(
                    [_binary("postgres"), "-D", self.data_dir],
                    stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                    cwd=self.base_dir, start_new_session=True,
                    **_as_account(self._account),
                )
            finally:
                log.close()
            if self._wait_ready(process):
                self._process = None if detach else process
                self.url = "postgres://%s@%s:%d/postgres" % (SUPERUSER, HOST, self.port)
                if detach:
                    with open(os.path.join(self.base_dir, "url"), "w") as f:
                        f.write(self.url + "\n")
                return
            last = _tail(self.log_path)
            if "pre-existing shared memory block" in last:
                # A backend of a killed server outlives its postmaster for a
                # moment, still attached; it exits as soon as it notices.
                time.sleep(0.25)
                continue
            if "could not bind" not in last and "Address already in use" not in last:
                break
            new_port = True
        raise PgError("PostgreSQL did not start; the end of %s:\n%s" % (self.log_path, last))

    def _write_settings(self):
        settings = dict(SERVER_SETTINGS)
        settings["port"] = str(self.port)
        settings["unix_socket_directories"] = "'%s'" % self.socket_dir
        path = os.path.join(self.data_dir, "postgresql.auto.conf")
        with open(path, "w") as f:
            f.write("# Written by pgtmp.py for a private test server.\n")
            for key, value in settings.items():
                f.write("%s = %s\n" % (key, value))
        if self._account:
            os.chown(path, self._account[0], self._account[1])

    def _wait_ready(self, process):
        """True once the server accepts connections; False when it exited."""
        pidfile = os.path.join(self.data_dir, "postmaster.pid")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                with open(pidfile) as f:
                    lines = f.read().splitlines()
                if len(lines) >= 8 and lines[7].strip() == "ready" and int(lines[0]) == process.pid:
                    return True
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
        _signal_and_wait(process.pid, 5.0)
        raise PgError("PostgreSQL did not become ready within %.0f s; the end of %s:\n%s"
                      % (START_TIMEOUT, self.log_path, _tail(self.log_path)))

    def stop_fast(self):
        """Stops the server (fast shutdown), keeping its data folder."""
        if self._process is not None:
            _signal_and_wait(self._process.pid, STOP_TIMEOUT)
            self._process.wait()
            self._process = None
        elif self.data_dir:
            pid = _postmaster_pid(self.data_dir)
            if pid is not None:
                _signal_and_wait(pid, STOP_TIMEOUT)

    def start_again(self):
        """Starts the server again on the same data folder and port."""
        if self.data_dir is None:
            raise PgError("start_again() before start()")
        if self._process is not None:
            return self.url
        self._launch(detach=False)
        return self.url

    def restart(self):
        self.stop_fast()
        return self.start_again()

    def kill(self):
        """Kills the server at once, the postmaster and every backend, as a
        crash would; start_again() then recovers from its WAL."""
        if self._process is not None:
            _kill_group(self._process.pid)
            self._process.wait()
            self._process = None

    def stop(self):
        """Stops the server and removes the folder unless it was given."""
        self.stop_fast()
        self._abandon()

    def _abandon(self):
        if self._process is not None:
            _signal_and_wait(self._process.pid, 5.0)
            self._process.wait()
            self._process = None
        if not self._keep and self.base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)
        if self._watchdog is not None:
            try:
                self._watchdog.stdin.write("done")
                self._watchdog.stdin.close()
            except OSError:
                pass
            self._watchdog.wait()
            self._watchdog = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    # databases ------------------------------------------------------------

    def url_for(self, name):
        return "postgres://%s@%s:%d/%s" % (SUPERUSER, HOST, self.port,
                                           urllib.parse.quote(name, safe=""))

    def psql(self, sql, database="postgres"):
        """Runs SQL through psql on the unix socket; returns its output."""
        result = subprocess.run(
            [_binary("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             "-h", self.socket_dir, "-p", str(self.port), "-U", SUPERUSER,
             "-d", database, "-c", sql],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise PgError("psql failed: %s" % result.stderr.strip())
        return result.stdout

    def create_database(self, name):
        """Creates an empty database; returns its URL."""
        self.psql('CREATE DATABASE "%s"' % name.replace('"', '""'))
        return self.url_for(name)


def stop_folder(base_dir):
    """Stops a server started with `pgtmp.py start DIR`."""
    data_dir = os.path.join(os.path.abspath(base_dir), "data")
    pid = _postmaster_pid(data_dir)
    if pid is None:
        return False
    if not _signal_and_wait(pid, STOP_TIMEOUT):
        raise PgError("the server (pid %d) in %s did not stop" % (pid, base_dir))
    return True


def _run(cmd):
    server = PgServer()
    stopping = []

    def on_signal(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    child = None
    try:
        started = time.monotonic()
        server.start()
        print("pgtmp: PostgreSQL ready at %s in %.2f s" % (server.url, time.monotonic() - started),
              file=sys.stderr, flush=True)
        env = dict(os.environ)
        env["DEBRIEF_TEST_STORE_URL"] = server.url
        env["DEBRIEF_TEST_PG_URL"] = server.url
        child = subprocess.Popen(cmd, env=env)
        return child.wait()
    except KeyboardInterrupt:
        if child is not None and child.poll() is None:
            child.send_signal(stopping[0] if stopping else signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return 128 + (stopping[0] if stopping else signal.SIGINT)
    except OSError as e:
        print("pgtmp: cannot run %s: %s" % (cmd[0], e), file=sys.stderr)
        return 127
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_IGN)
        server.stop()


USAGE = "usage: pgtmp.py start DIR | stop DIR | run -- CMD [ARGS...]"


def main(argv):
    try:
        if len(argv) == 2 and argv[0] == "start":
            server = PgServer(argv[1])
            print(server.start(detach=True), flush=True)
            return 0
        if len(argv) == 2 and argv[0] == "stop":
            stop_folder(argv[1])
            return 0
        if len(argv) >= 1 and argv[0] == "run":
            cmd = argv[1:]
            if cmd and cmd[0] == "--":
                cmd = cmd[1:]
            if not cmd:
                print(USAGE, file=sys.stderr)
                return 2
            return _run(cmd)
    except PgError as e:
        print("pgtmp: %s" % e, file=sys.stderr)
        return 1
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
