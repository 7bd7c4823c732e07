#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Show that a long step is working, and how far along it is.

As a command, for the shell scripts:

  progress.py LABEL [--log FILE] [--total N] [--total-file FILE]
              [--save-count FILE] [--count-re RE] -- COMMAND...

runs COMMAND with its output going to FILE (or nowhere), counts the output
lines that match RE (by default kbuild's quiet command lines such as
'  CC      kernel/fork.o'), and reports the label, the elapsed time, the
count against the expected total and the directory of the latest item. It
exits with COMMAND's status and, on success, writes the count to the
--save-count file so that the next run knows its total.

As a module: 'with Ticker(label):' reports the elapsed time of a block.

On a terminal the report is one line on stderr, rewritten every second and
erased at the end; elsewhere (a CI log, a file) it is a plain line every 30
seconds, so a seven-minute build adds about fourteen lines.
"""

import argparse
import os
import re
import subprocess
import sys
import threading
import time

KBUILD_LINE = r'^  [A-Z][A-Z0-9_]*(?: \[M\])?\s+(\S+)'
TTY_INTERVAL = 1.0
LOG_INTERVAL = 30.0


def _clock(secs):
    secs = int(secs)
    return '%d:%02d' % (secs // 60, secs % 60)


class Ticker:
    """Report a running step on stderr until the block or command ends."""

    def __init__(self, label, total=0):
        self.label = label
        self.total = total
        self.count = 0
        self.item = ''
        self.tty = sys.stderr.isatty()
        self.interval = TTY_INTERVAL if self.tty else LOG_INTERVAL
        self.start = time.monotonic()
        self._stop = threading.Event()
        self._thread = None
        self._shown = False

    def text(self):
        parts = ['harness: %s: %s' % (self.label,
                                      _clock(time.monotonic() - self.start))]
        if self.count and self.total and self.count < self.total:
            parts.append('%d/%d (%d%%)' % (self.count, self.total,
                                           100 * self.count // self.total))
        elif self.count and self.total:
            parts.append('%d done (last full build: %d)' % (self.count,
                                                            self.total))
        elif self.count:
            parts.append('%d done' % self.count)
        if self.item:
            parts.append(self.item)
        return ', '.join(parts)

    def _show(self):
        line = self.text()
        if self.tty:
            try:
                width = os.get_terminal_size(sys.stderr.fileno()).columns
            except OSError:
                width = 0
            if width < 40:
                width = 80
            sys.stderr.write('\r\033[K' + line[:width - 1])
        else:
            sys.stderr.write(line + '\n')
        sys.stderr.flush()
        self._shown = True

    def _run(self):
        while not self._stop.wait(self.interval):
            self._show()

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if self.tty and self._shown:
            sys.stderr.write('\r\033[K')
            sys.stderr.flush()
        return False


def _read_total(opts):
    if opts.total:
        return opts.total
    try:
        with open(opts.total_file) as f:
            return int(f.read().split()[0])
    except (TypeError, OSError, ValueError, IndexError):
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('label')
    ap.add_argument('--log')
    ap.add_argument('--total', type=int, default=0)
    ap.add_argument('--total-file')
    ap.add_argument('--save-count')
    ap.add_argument('--count-re', default=KBUILD_LINE)
    argv = sys.argv[1:]
    if '--' not in argv:
        ap.error('no command: put it after --')
    cut = argv.index('--')
    opts = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]
    if not cmd:
        ap.error('no command after --')
    pattern = re.compile(opts.count_re)
    log = open(opts.log, 'w') if opts.log else open(os.devnull, 'w')
    ticker = Ticker(opts.label, _read_total(opts))
    with log, ticker:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True,
                                errors='replace')
        for line in proc.stdout:
            log.write(line)
            m = pattern.search(line)
            if m:
                ticker.count += 1
                item = m.group(1) if m.groups() else line.strip()
                ticker.item = os.path.dirname(item) or item
        rc = proc.wait()
    if rc == 0 and opts.save_count and ticker.count:
        with open(opts.save_count, 'w') as f:
            f.write('%d\n' % ticker.count)
    return rc


if __name__ == '__main__':
    sys.exit(main())
