/* password_input.c: a new password, from a pipe or asked on the terminal
 * without echo. The text is wiped from memory once it is no longer needed. */
#include "cli.h"
#include "store_cli.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <termios.h>
#include <unistd.h>

#define PASSWORD_MAX 1024 /* bytes; far above any passphrase */

/* Wipes and frees LINE, a buffer of SIZE bytes from getline(). */
static void discard(char *line, size_t size)
{
    if (line)
        explicit_bzero(line, size);
    free(line);
}

/* One line of standard input without its "\n" or "\r\n", or NULL after
 * printing why. */
static char *read_line(const char *name)
{
    char *line = NULL;
    size_t size = 0;
    errno = 0;
    ssize_t n = getline(&line, &size, stdin);
    if (n < 0) {
        if (errno)
            cli_error("cannot read the password of '%s': %s", name, strerror(errno));
        else
            cli_error("no password for '%s' on standard input", name);
        discard(line, size);
        return NULL;
    }
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    if (n > 0 && line[n - 1] == '\r')
        line[--n] = '\0';
    if (strlen(line) != (size_t)n) {
        cli_error("the password of '%s' holds a NUL byte", name);
    } else if (n == 0) {
        cli_error("the password of '%s' is empty", name);
    } else if (n > PASSWORD_MAX) {
        cli_error("the password of '%s' is longer than %d bytes", name, PASSWORD_MAX);
    } else {
        return line;
    }
    discard(line, size);
    return NULL;
}

/* The terminal's settings while echo is off, put back by restore_echo()
 * when a signal ends the program in the middle of a prompt. */
static struct termios saved_terminal;
static volatile sig_atomic_t echo_is_off;

static void restore_echo(int sig)
{
    if (echo_is_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Asks PROMPT on standard error and reads the answer with echo off. Echo
 * goes off before the prompt shows, so nothing typed after it is echoed or
 * flushed away. */
static char *ask(const char *prompt, const char *name)
{
    bool terminal = tcgetattr(STDIN_FILENO, &saved_terminal) == 0;
    void (*old_int)(int) = SIG_DFL, (*old_term)(int) = SIG_DFL;
    if (terminal) {
        struct termios quiet = saved_terminal;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        old_int = signal(SIGINT, restore_echo);
        old_term = signal(SIGTERM, restore_echo);
        echo_is_off = tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
    }
    fputs(prompt, stderr);
    fflush(stderr);
    char *line = read_line(name);
    if (terminal) {
        if (echo_is_off)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_terminal);
        echo_is_off = 0;
        signal(SIGINT, old_int);
        signal(SIGTERM, old_term);
    }
    fputc('\n', stderr);
    return line;
}

char *cli_password_read(const char *name)
{
    if (!isatty(STDIN_FILENO))
        return read_line(name);
    char prompt[128];
    snprintf(prompt, sizeof prompt, "Password for '%s': ", name);
    char *first = ask(prompt, name);
    if (!first)
        return NULL;
    char *again = ask("Again: ", name);
    if (!again) {
        cli_password_free(first);
        return NULL;
    }
    bool same = strcmp(first, again) == 0;
    cli_password_free(again);
    if (same)
        return first;
    cli_password_free(first);
    cli_error("the two passwords differ; nothing was changed");
    return NULL;
}

void cli_password_free(char *password)
{
    if (!password)
        return;
    explicit_bzero(password, strlen(password));
    free(password);
}
