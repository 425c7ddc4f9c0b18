"""pty_run.py COLS OUT [--stdin] -- CMD...: runs CMD with its standard
output and error on a new pseudo-terminal COLS columns wide (standard
input too, unless --stdin keeps this script's own), writes every byte CMD
printed to OUT (the terminal does no output processing: a newline stays
one byte), and exits with CMD's status.  For tests/cli/*.sh."""
import fcntl
import os
import pty
import struct
import sys
import termios


def main():
    cols, out = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[3:]
    keep_stdin = rest[:1] == ["--stdin"]
    if keep_stdin:
        rest = rest[1:]
    if rest[:1] == ["--"]:
        rest = rest[1:]
    saved_stdin = os.dup(0)
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
        attrs = termios.tcgetattr(1)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(1, termios.TCSANOW, attrs)
        if keep_stdin:
            os.dup2(saved_stdin, 0)
        os.execvp(rest[0], rest)
    os.close(saved_stdin)
    data = bytearray()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    _, status = os.waitpid(pid, 0)
    with open(out, "wb") as f:
        f.write(data)
    sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode")
             else (status >> 8))


main()
