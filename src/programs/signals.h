/* signals.h - how `w2v train` answers signals.
 *
 * Outside training, SIGINT, SIGTERM and SIGHUP remove every temporary
 * output file and end the process as the signal does by default.  While
 * training (signals_training(1)) the first of them only asks the run to
 * stop: it then saves a checkpoint when one is configured and exits with
 * 128 + the signal's number; a second one removes the temporary files and
 * ends the process at once.  The checkpoint signal (-signal-checkpoint)
 * asks for a checkpoint and the run goes on.  SIGPIPE is ignored, so that a
 * reader of stderr that went away cannot end the run: writes to it fail
 * and are dropped. */
#ifndef W2V_SIGNALS_H
#define W2V_SIGNALS_H

/* Installs the handlers; checkpoint_signal is a signal number or 0. */
void signals_install(int checkpoint_signal);

/* Marks the training phase (1) or its end (0). */
void signals_training(int on);

/* The number of the signal that asked the run to stop, or 0. */
int signals_stop_requested(void);

/* 1 once for each checkpoint signal received since the last call. */
int signals_checkpoint_requested(void);

/* The checkpoint signal named "USR1", "SIGUSR1" or by number ("10"): one
 * of USR1, USR2, ALRM and XCPU (INT, TERM and HUP already stop the run with
 * a checkpoint); 0 for any other name. */
int signal_by_name(const char *name);

/* "SIGTERM" and so on, for messages. */
const char *signal_name(int sig);

#endif
