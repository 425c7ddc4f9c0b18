/* signals.c - signal handling of `w2v train` (signals.h). */
#include "signals.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "outfile.h"

/* stop_signal is taken with a compare-and-swap: two stop signals may reach
 * two threads at the same moment, and only one of them may be the first. */
static volatile sig_atomic_t training, checkpoint_asked;
static _Atomic int stop_signal;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2,
               "a signal handler needs a lock-free int");

/* Signals by name: the stop signals, then those -signal-checkpoint takes. */
static const struct {
    const char *name;
    int sig;
} named[] = {
    {"SIGINT", SIGINT},   {"SIGTERM", SIGTERM}, {"SIGHUP", SIGHUP},
    {"SIGUSR1", SIGUSR1}, {"SIGUSR2", SIGUSR2}, {"SIGALRM", SIGALRM},
    {"SIGXCPU", SIGXCPU},
};
enum { FIRST_CHECKPOINT_SIGNAL = 3 };
#define N_NAMED ((int)(sizeof named / sizeof named[0]))

/* Ends the process as sig does by default, removing temporary outputs. */
static void die_of(int sig)
{
    outfile_remove_all_tmp();
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    raise(sig);
}

static void on_stop(int sig)
{
    int none = 0;
    if (training && atomic_compare_exchange_strong(&stop_signal, &none, sig))
        return;
    die_of(sig);
}

static void on_checkpoint(int sig)
{
    (void)sig;
    checkpoint_asked = 1;
}

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(sig, &sa, NULL);
}

void signals_install(int checkpoint_signal)
{
    handle(SIGINT, on_stop);
    handle(SIGTERM, on_stop);
    handle(SIGHUP, on_stop);
    handle(SIGPIPE, SIG_IGN);
    if (checkpoint_signal)
        handle(checkpoint_signal, on_checkpoint);
}

void signals_training(int on)
{
    training = on;
}

int signals_stop_requested(void)
{
    return stop_signal;
}

int signals_checkpoint_requested(void)
{
    if (!checkpoint_asked)
        return 0;
    checkpoint_asked = 0;
    return 1;
}

int signal_by_name(const char *name)
{
    int64_t number = -1;
    if (cli_parse_int(name, &number) != 0)
        number = -1;
    for (int i = FIRST_CHECKPOINT_SIGNAL; i < N_NAMED; i++)
        if (strcmp(name, named[i].name) == 0 ||
            strcmp(name, named[i].name + 3) == 0 || number == named[i].sig)
            return named[i].sig;
    return 0;
}

const char *signal_name(int sig)
{
    for (int i = 0; i < N_NAMED; i++)
        if (named[i].sig == sig)
            return named[i].name;
    return "a signal";
}
