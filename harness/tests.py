# SPDX-License-Identifier: GPL-2.0
"""The tests of make check, in the order they run.

kind 'scenario' (default): boot the variant's kernel with kho_guest running
  'scenario' for 'gens' generations; passes when every guest check passed
  and the last generation finished ('expect': 'fail' inverts it, for the
  negative controls). 'expect_log': (generation, text) pairs that must be
  in that generation's console log.
kind 'kunit': boot once with KUnit enabled and parse the log with
  tools/testing/kunit/kunit.py; 'suites' must all have run and passed.
kind 'command': a host command that must exit 0.
"""

TESTS = [
    {'name': 'kexec-2gen', 'scenario': 'kexec', 'gens': 2,
     'doc': 'plain kexec_file_load chain; gen 2 proves it is gen 2'},
    {'name': 'kexec-3gen-4cpu', 'scenario': 'kexec', 'gens': 3, 'smp': 4,
     'mem': '2G', 'doc': 'three generations on 4 CPUs, 2 GiB',
     'expect_log': [(3, 'smpboot: Total of 4 processors activated')]},
    {'name': 'negative-hang', 'scenario': 'hang', 'gens': 2,
     'timeout': 25, 'expect': 'fail',
     'doc': 'control: a guest that never kexecs is reported as a failure'},
    {'name': 'negative-crash', 'scenario': 'crash', 'gens': 2,
     'timeout': 60, 'expect': 'fail',
     'doc': 'control: a guest whose init dies is reported as a failure'},
    {'name': 'kunit', 'kind': 'kunit', 'scenario': 'kexec', 'gens': 1,
     'kunit': True, 'suites': ['list-kunit-test'],
     'doc': 'every built-in KUnit suite, parsed with kunit.py'},
    {'name': 'checkpatch', 'kind': 'command',
     'command': ['harness/checkpatch.sh'],
     'doc': 'checkpatch.pl --strict over every patch of the series'},
    {'name': 'series-export', 'kind': 'command',
     'command': ['harness/series.sh', '--check'],
     'doc': 'make series; git am of the posting gives the same tree'},
]
