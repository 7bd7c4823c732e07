# SPDX-License-Identifier: GPL-2.0
"""The tests of make check, in the order they run.

kind 'scenario' (default): boot the variant's kernel with kho_guest running
  'scenario' for 'gens' generations; passes when every guest check passed
  and the last generation finished ('expect': 'fail' inverts it, for the
  negative controls). 'expect_log': (generation, text) pairs that must be
  in that generation's console log. 'variant': 'arm64' boots the arm64
  kernel in qemu-system-aarch64; 'dt_size_cells': 1 gives it a devicetree
  whose root #size-cells is 1, 'dt_chosen' adds properties to its /chosen.
kind 'kunit': boot once with KUnit enabled and parse the log with
  tools/testing/kunit/kunit.py; 'suites' must all have run and passed.
kind 'command': a host command that must exit 0.
'group': tests outside the default set: they run when their group is asked
  for (check.py --group NAME), when named exactly, or, for the groups in
  CI_GROUPS, in CI (CI=true). 'ci': the bare-machine proof that installs a
  whole Debian root; 'debian': Debian's own config (make distro).
"""

# The groups CI runs besides the default set.
CI_GROUPS = ['ci']

# The distro variant's guest: 4 GiB on 2 NUMA nodes, most of it deferred.
DISTRO = {'variant': 'distro', 'mem': '4G', 'numa': 2}

# Every KHO scenario boots with KHO enabled on the command line.
KHO_ON = ['kho=on']
# The region test_kho's status reports (reserve_mem_phys, reserve_mem_csum).
RESERVE_MEM = 'reserve_mem=4M:4096:khotest'

# The Live Update Orchestrator needs KHO too.
LUO_ON = KHO_ON + ['liveupdate=on']

# Ways luo_test damages the LUO blob, and what the next kernel says; the
# unknown handler last, as it leaves no /dev/liveupdate to go on with.
LUO_CORRUPTIONS = [
    ('compatible', 'ignoring the incoming sessions: unknown compatible'),
    ('table-size', 'ignoring the incoming sessions: bad session table size'),
    ('count', 'ignoring the incoming sessions: bad session table size'),
    ('table-pointer', 'ignoring the incoming sessions: session table cannot '
                      'be restored'),
    ('session-name', 'ignoring the incoming sessions: bad session name'),
    ('session-twice', 'ignoring the incoming sessions: session name twice'),
    ('file-count', 'ignoring the incoming sessions: bad file count'),
    ('token-twice', 'ignoring the incoming sessions: token twice in a '
                    'session'),
    ('file-record', 'Retrieved live update data'),
    ('file-handler', "cannot take the incoming sessions: no file handler "
                     "'nosuch-v1'"),
]

TESTS = [
    {'name': 'kexec-2gen', 'scenario': 'kexec', 'gens': 2,
     'doc': 'plain kexec_file_load chain; gen 2 proves it is gen 2'},
    {'name': 'kexec-3gen-4cpu', 'scenario': 'kexec', 'gens': 3, 'smp': 4,
     'mem': '2G', 'doc': 'three generations on 4 CPUs, 2 GiB',
     'expect_log': [(3, 'smpboot: Total of 4 processors activated')]},
    {'name': 'kho-preserve-2gen', 'scenario': 'kho-preserve', 'gens': 2,
     'append': KHO_ON,
     'doc': 'gen 1 preserves >= 64 MiB of random-order folios and a page '
            'range; gen 2 restores, checks every byte, frees'},
    {'name': 'kho-preserve-4g', 'scenario': 'kho-preserve', 'gens': 2,
     'mem': '4G', 'append': KHO_ON,
     'doc': 'the same with 4 GiB of guest memory (scratch above 4 GiB)'},
    {'name': 'kho-restore-scattered', 'scenario': 'kho-preserve',
     'gens': 2, 'append': KHO_ON + ['test_kho.layout=scattered',
                                    'test_kho.size_mb=16'],
     'expect_log': [(2, 'reserved regions (sorted)')],
     'doc': '16 MiB in every other page, each an order-0 folio: the sorted '
            'one-pass reserve keeps every byte'},
    {'name': 'kho-restore-per-block', 'scenario': 'kho-preserve',
     'gens': 2, 'append': KHO_ON + ['test_kho.layout=scattered',
                                    'test_kho.size_mb=16',
                                    'kho_restore=per-block'],
     'expect_log': [(2, 'reserved regions (per-block)')],
     'doc': 'the same input reserved one block per memblock_reserve() '
            '(kho_restore=per-block) restores the same bytes'},
    {'name': 'kho-restore-dense-chain', 'scenario': 'kho-chain', 'gens': 3,
     'append': KHO_ON + ['test_kho.layout=dense', 'test_kho.size_mb=16'],
     'expect_log': [(2, 'reserved regions (sorted)')],
     'doc': 'contiguous order-0 folios through a 3-generation chain, '
            'restored in gen 2 and preserved again with new data'},
    {'name': 'kho-chain-3gen', 'scenario': 'kho-chain', 'gens': 3,
     'append': KHO_ON,
     'doc': 'gen 2 preserves again what it restored plus new data'},
    {'name': 'kho-kexec-tools-3gen', 'scenario': 'kho-chain', 'gens': 3,
     'append': KHO_ON + ['kho_loader=kexec-tools'],
     'doc': "the chain with Debian's kexec-tools as the loader: "
            "'kexec -s -l IMAGE --initrd=... --append=...', 'kexec -e'"},
    {'name': 'kho-fdt-identical', 'scenario': 'kho-fdt', 'gens': 2,
     'append': KHO_ON,
     'doc': "gen 2's kho/in/fdt is byte-identical to gen 1's kho/out/fdt"},
    {'name': 'kho-scratch-cma', 'scenario': 'kho-cma', 'gens': 2,
     'append': KHO_ON,
     'doc': 'CmaTotal equals the scratch total, cold and hand-over boot'},
    {'name': 'kho-scratch-einval', 'scenario': 'kho-scratch', 'gens': 1,
     'append': KHO_ON,
     'doc': 'preserving a page inside scratch fails with -EINVAL'},
    {'name': 'kho-off', 'scenario': 'kho-off', 'gens': 2,
     'append': ['kho=off'],
     'doc': 'kho=off boots and kexecs normally, without a hand-over'},
    {'name': 'kho-no-test-module', 'scenario': 'kho-nomod', 'gens': 2,
     'variant': 'nomod', 'append': KHO_ON + ['kho_loader=kexec-tools'],
     'doc': 'a kernel without the test module hands over and kexecs '
            "(through Debian's kexec-tools)"},
    {'name': 'kho-metadata-3gen', 'scenario': 'kho-metadata', 'gens': 3,
     'append': KHO_ON,
     'doc': 'gen 2/3 log "KHO: exec from: <previous release> (count 1/2)"'},
    {'name': 'kho-metadata-bad', 'scenario': 'kho-metadata-bad', 'gens': 3,
     'append': KHO_ON,
     'doc': 'bad version / short metadata refused; the data hand-over works'},
    {'name': 'kho-reserve-mem-3gen', 'scenario': 'kho-reserve-mem', 'gens': 3,
     'append': KHO_ON + [RESERVE_MEM],
     'doc': 'reserve_mem region revived at the same address, same bytes'},
    {'name': 'kho-kaslr-3gen', 'scenario': 'kho-kaslr', 'gens': 3,
     'append': KHO_ON,
     'doc': 'with RANDOMIZE_BASE every hand-over kernel lies inside scratch'},
    {'name': 'kho-vmalloc', 'scenario': 'kho-vmalloc', 'gens': 2,
     'append': KHO_ON,
     'doc': 'vmalloc, vmalloc_huge and kho_alloc_preserve data restore byte '
            'for byte; error returns of the API'},
    {'name': 'kho-numa-boundary', 'scenario': 'kho-numa', 'gens': 2,
     'mem': '1526M', 'numa': 2,
     # nokaslr: a randomly placed kernel image can cover 762M on the cold
     # boot, and test_kho_numa= must find the range free
     'append': KHO_ON + ['test_kho_numa=2M@762M', 'nokaslr'],
     'doc': 'a range across the node 0/1 boundary is preserved in per-node '
            'blocks and restores'},
    {'name': 'kho-v2-input', 'scenario': 'kho-v2', 'gens': 2,
     'append': KHO_ON,
     'doc': 'a kho-v2 root FDT is accepted: FDT blob sized by its header, '
            'raw blob refused'},
] + [
    {'name': 'corrupt-' + kind, 'scenario': 'kho-corrupt', 'gens': 2,
     'append': KHO_ON + ['kho_corrupt=' + kind, RESERVE_MEM],
     'expect_log': [(2, 'KHO: ignoring the hand-over: ' + reason)],
     'doc': 'gen 1 ' + what + '; gen 2 boots without the hand-over, with '
            'all its memory, and says "' + reason + '"'}
    for kind, reason, what in [
        ('fdt-magic', 'bad FDT magic', 'breaks the root FDT magic'),
        ('fdt-truncated', 'truncated FDT',
         'makes the FDT larger than its page'),
        ('fdt-compatible', 'unknown FDT compatible',
         'makes the FDT "kho-v9"'),
        ('fdt-unpreserved', 'FDT outside preserved memory',
         'unpreserves the root FDT page'),
        ('map-missing', 'no preserved memory map',
         'deletes preserved-memory-map'),
        ('map-short', 'bad preserved memory map',
         'makes preserved-memory-map 4 bytes'),
        ('map-zero', 'bad preserved memory map',
         'sets the map to physical address 0'),
        ('map-outside-ram', 'tree node outside RAM',
         'points the map past the end of RAM'),
        ('map-unaligned', 'tree node not page aligned',
         'points the map 8 bytes into the root'),
        ('node-unaligned', 'tree node not page aligned',
         'misaligns a table pointer'),
        ('node-outside-ram', 'tree node outside RAM',
         'adds a table pointer past the end of RAM'),
        ('node-in-scratch', 'tree node inside scratch',
         'adds a table pointer into scratch'),
        ('tree-cycle', 'tree node reached twice',
         'points a table back at the root'),
        ('block-order', 'block order out of range',
         'sets a leaf bit that decodes to no order'),
        ('block-outside-ram', 'block outside RAM',
         'adds a block past the end of RAM'),
        ('block-in-scratch', 'block inside scratch',
         'adds a block inside scratch'),
        ('block-low', 'block inside memory in use',
         'adds a block in the first MiB (x86 real-mode trampoline)'),
        ('block-overlap', 'preserved blocks overlap',
         'adds an order-1 block over the order-0 FDT page'),
        ('blob-outside', 'blob outside preserved memory',
         'adds a blob in unpreserved memory'),
        ('blob-size', 'blob outside preserved memory',
         'gives a blob a size that wraps around'),
        ('scratch-outside-ram', 'scratch region outside RAM',
         'passes a scratch region past the end of RAM'),
        ('scratch-overlap', 'scratch regions overlap',
         'passes two overlapping scratch regions'),
    ]
] + [
    {'name': 'debug-kho-preserve', 'scenario': 'kho-preserve', 'gens': 2,
     'variant': 'debug', 'mem': '2G',
     'append': KHO_ON + ['kho_scratch=64M,512M,128M',
                         'kho_loader=kexec-tools'], 'timeout': 400,
     'doc': 'kho-preserve-2gen on the debug kernel (KASAN, lockdep, '
            'DEBUG_VM, DEBUG_PAGEALLOC, kmemleak): no reports'},
    # run-time robustness: allocation failures, churn, unload, concurrency
    {'name': 'kho-churn-100k', 'scenario': 'kho-churn', 'gens': 1,
     'append': KHO_ON,
     'doc': '100k preserve/unpreserve calls of random folios and ranges: '
            'kho/out/tracker (nodes, blocks, hash) back to its start'},
    {'name': 'kho-unload-reload', 'scenario': 'kho-unload', 'gens': 2,
     'append': KHO_ON,
     'doc': 'load, KEXEC_FILE_UNLOAD, change the set, load, exec: gen 2 '
            'restores exactly the final blocks and every byte'},
    {'name': 'kho-stress-smp', 'scenario': 'kho-stress', 'gens': 2,
     'smp': 4, 'append': KHO_ON,
     'doc': 'a thread per CPU preserves/unpreserves own and shared items '
            'for 2 s; gen 2 restores exactly what was left'},
    {'name': 'kho-fdt-full', 'scenario': 'kho-fdt-full', 'gens': 1,
     'append': KHO_ON,
     'doc': 'kho_add_subtree() until the root FDT is full: -ENOSPC, each '
            'refusal leaves out/fdt byte-identical, removing all restores it'},
    {'name': 'kho-fault-inject', 'scenario': 'kho-fault-inject', 'gens': 1,
     'variant': 'debug', 'mem': '2G', 'timeout': 300,
     'append': KHO_ON + ['kho_scratch=64M,512M,128M'],
     'doc': 'debug kernel: every allocation of each preserve call fails in '
            'turn (fail-nth): -ENOMEM, tracker and FDT unchanged, kmemleak '
            'finds no KHO leak'},
    {'name': 'debug-kho-stress', 'scenario': 'kho-stress', 'gens': 2,
     'variant': 'debug', 'smp': 2, 'mem': '2G', 'timeout': 300,
     'append': KHO_ON + ['kho_scratch=64M,512M,128M',
                         'test_kho_stress.stress_ms=3000'],
     'doc': 'kho-stress-smp on the debug kernel (KASAN, lockdep, DEBUG_VM): '
            'no reports'},
    # Live Update Orchestrator: /dev/liveupdate sessions, memfds across kexec
] + [
    {'name': 'luo-api', 'scenario': 'luo-api', 'gens': 1, 'append': LUO_ON,
     'doc': 'every ioctl and error of /dev/liveupdate and session fds, the '
            'size rules, the frozen size of a preserved memfd, no kexec'},
    {'name': 'luo-off', 'scenario': 'luo-off', 'gens': 1,
     'append': ['kho=off', 'liveupdate=on'],
     'expect_log': [(1, 'liveupdate: disabling liveupdate because KHO is '
                        'disabled')],
     'doc': 'liveupdate=on without KHO: a warning, no /dev/liveupdate'},
    {'name': 'luo-default-off', 'scenario': 'luo-off', 'gens': 1,
     'append': KHO_ON,
     'doc': 'KHO on, liveupdate= not given: LUO is off, no /dev/liveupdate'},
    {'name': 'luo-memfd-256m', 'scenario': 'luo-memfd', 'gens': 2,
     'mem': '2G', 'append': LUO_ON, 'timeout': 240,
     'expect_log': [(2, 'liveupdate: Retrieved live update data, liveupdate '
                        'number: 1')],
     'doc': 'a 256 MiB memfd with a seeded pattern, partly in scratch (CMA) '
            'before preserve and in none of it after (pagemap), rewritten in '
            'part through mmap() after preserve: size, position, seals, '
            'every byte in gen 2'},
    {'name': 'luo-kexec-tools', 'scenario': 'luo-multi', 'gens': 2,
     'append': LUO_ON + ['kho_loader=kexec-tools'],
     'doc': "luo-multi with 'kexec -s -l' and 'kexec -e' of kexec-tools, "
            'as the README tells users'},
    {'name': 'luo-multi', 'scenario': 'luo-multi', 'gens': 2,
     'append': LUO_ON,
     'doc': '3 sessions of 4 memfds (sparse, sealed, empty, positioned), '
            'an abandoned session gone, an unretrieved file freed by FINISH'},
    {'name': 'luo-chain-3gen', 'scenario': 'luo-chain', 'gens': 3,
     'append': LUO_ON,
     'expect_log': [(2, 'liveupdate: 1 sessions of the previous kernel were '
                        'not finished'),
                    (3, 'liveupdate number: 2')],
     'doc': 'a memfd retrieved and preserved again twice; a session never '
            'retrieved in gen 2 is not handed on'},
    {'name': 'luo-stress-4cpu', 'scenario': 'luo-stress', 'gens': 2,
     'smp': 4, 'append': LUO_ON, 'timeout': 240,
     'doc': '4 workers: 1000 sessions kept, 1000 closed again, one session '
            'of 300 files; all back byte for byte'},
    {'name': 'debug-luo-chain', 'scenario': 'luo-chain', 'gens': 3,
     'variant': 'debug', 'mem': '2G', 'timeout': 300,
     'append': LUO_ON + ['kho_scratch=64M,512M,128M'],
     'doc': 'luo-chain-3gen on the debug kernel (KASAN, lockdep, DEBUG_VM, '
            'kmemleak): preserve, serialize, retrieve, finish, no reports'},
    # With ~60k scattered preserved pages the hand-over boot's memblock
    # arrays grow in scratch and are freed before scratch becomes CMA: they
    # must move to the CMA free lists with their pageblocks (DEBUG_VM warned
    # "page type is 4, passed migratetype is 1" before set_pageblock_cma()).
    {'name': 'debug-luo-multi', 'scenario': 'luo-multi',
     'gens': 2, 'variant': 'debug', 'mem': '2G', 'timeout': 400,
     'append': LUO_ON + ['kho_scratch=64M,512M,128M'],
     'doc': 'luo-multi on the debug kernel: scratch freed before it became '
            'CMA is on the CMA free lists, no DEBUG_VM warning'},
    {'name': 'debug-luo-api', 'scenario': 'luo-api', 'gens': 1,
     'variant': 'debug', 'mem': '2G', 'timeout': 300,
     'append': LUO_ON + ['kho_scratch=64M,512M,128M'],
     'doc': 'luo-api on the debug kernel: every error path, no reports'},
    {'name': 'luo-corrupt-chain', 'scenario': 'luo-corrupt',
     'gens': len(LUO_CORRUPTIONS) + 1, 'timeout': 400,
     'append': LUO_ON + ['luo_corrupt=' +
                         ','.join(k for k, _ in LUO_CORRUPTIONS)],
     'expect_log': [(g, 'luo_test: corruption %s: applied' % k)
                    for g, (k, _) in enumerate(LUO_CORRUPTIONS, 1)] +
                   [(g + 1, 'liveupdate: ' + why)
                    for g, (_, why) in enumerate(LUO_CORRUPTIONS, 1)],
     'doc': 'each generation damages its LUO blob at kexec in the next of '
            '%d ways (%s); the next boots without panic, logs why, and '
            'nothing is retrievable (a damaged file record: that file '
            'fails with EIO, always; an unknown handler: open() fails with '
            'EIO)' % (len(LUO_CORRUPTIONS),
                      ', '.join(k for k, _ in LUO_CORRUPTIONS))},
] + [
    {'name': 'negative-hang', 'scenario': 'hang', 'gens': 2,
     'timeout': 25, 'expect': 'fail',
     'doc': 'control: a guest that never kexecs is reported as a failure'},
    {'name': 'negative-crash', 'scenario': 'crash', 'gens': 2,
     'timeout': 60, 'expect': 'fail',
     'doc': 'control: a guest whose init dies is reported as a failure'},
    {'name': 'kunit', 'kind': 'kunit', 'scenario': 'kexec', 'gens': 1,
     'kunit': True, 'suites': ['list-kunit-test', 'kho_radix_tree'],
     'doc': 'every built-in KUnit suite, parsed with kunit.py'},
    {'name': 'checkpatch', 'kind': 'command',
     'command': ['harness/checkpatch.sh'],
     'doc': 'checkpatch.pl --strict over every patch of the series'},
    {'name': 'kernel-doc', 'kind': 'command',
     'command': ['harness/kerneldoc.sh'],
     'doc': 'scripts/kernel-doc -none -Wall reports nothing on our files'},
    {'name': 'sparse-w1', 'kind': 'command',
     'command': ['harness/static.py', 'sparse'],
     'doc': 'make W=1 C=2 (sparse) on every object the series adds or '
            'changes, x86_64 and arm64, and make LLVM=1 W=1: no finding on '
            'our code'},
    {'name': 'coccicheck', 'kind': 'command',
     'command': ['harness/static.py', 'cocci'],
     'doc': "every scripts/coccinelle script (report mode) on the series' "
            'C files: no finding on our code'},
    {'name': 'htmldocs', 'kind': 'command',
     'command': ['harness/static.py', 'htmldocs'],
     'doc': "make htmldocs on the directories of the series' documents: no "
            'warning from them'},
    {'name': 'memblock-simulator', 'kind': 'command',
     'command': ['harness/memblock-sim.sh'],
     'doc': 'tools/testing/memblock builds and passes on the series'},
    {'name': 'tracker-userspace', 'kind': 'command',
     'command': ['harness/fuzz.sh', 'unit'],
     'doc': "the tracker's KUnit suite in user space (tools/testing/kho), "
            'with ASan and UBSan'},
    {'name': 'fuzz-kho-check', 'kind': 'command',
     'command': ['harness/fuzz.sh', 'fuzz', '60'],
     'doc': 'libFuzzer on kho_check_handover() for 60 s from the seeds in '
            'tools/testing/kho/corpus, checked against a naive reference'},
    {'name': 'series-export', 'kind': 'command',
     'command': ['harness/series.sh', '--check'],
     'doc': 'make series; git am of the posting gives the same tree'},
    # The distro variant: what distribution kernels turn on (deferred struct
    # page init, KFENCE, hotplug, KASLR, PTI, KHO on by default, so no kho=on)
    # on a 4 GiB 2-node guest: past the first section of each node's last
    # zone every struct page is deferred, so preserved blocks land there.
    # 512 MiB is more than the memory early init covers (the first 128 MiB
    # section of each node's last zone and the low zones' remains), so
    # part of it must lie where gen 2 defers its struct pages.
    {**DISTRO, 'name': 'distro-kho-preserve-2gen',
     'scenario': 'kho-preserve', 'gens': 2,
     'timeout': 240, 'append': ['test_kho.size_mb=512'],
     'expect_log': [(2, 'deferred struct pages initialised')],
     'doc': 'deferred struct page init: 512 MiB of folios, part of them '
            'where gen 2 defers struct pages; gen 2 initialises those, every '
            'byte verified, freed, memory returned'},
    {**DISTRO, 'name': 'distro-kho-chain-3gen',
     'scenario': 'kho-chain', 'gens': 3,
     'timeout': 240, 'append': ['kho_loader=kexec-tools'],
     'doc': "3 generations through Debian's kexec-tools on the distro "
            'kernel'},
    {**DISTRO, 'name': 'distro-kho-scratch-cma',
     'scenario': 'kho-cma', 'gens': 2,
     'timeout': 180,
     'doc': 'scratch is CMA on cold and hand-over boots with deferred '
            'struct page init'},
    {**DISTRO, 'name': 'distro-kho-vmalloc',
     'scenario': 'kho-vmalloc', 'gens': 2,
     'timeout': 180, 'doc': 'vmalloc areas and their errors on the distro '
                            'kernel'},
    {**DISTRO, 'name': 'distro-kho-reserve-mem-3gen',
     'scenario': 'kho-reserve-mem', 'gens': 3,
     'timeout': 240, 'append': [RESERVE_MEM],
     'expect_log': [(2, 'deferred struct pages initialised'),
                    (3, 'deferred struct pages initialised')],
     'doc': 'reserve_mem (placed at the top of memory, where struct pages '
            'are deferred) revived at the same address, same bytes'},
    {**DISTRO, 'name': 'distro-kfence-placement-3gen',
     'scenario': 'kho-placement', 'gens': 3,
     'timeout': 240, 'append': ['kfence.sample_interval=1'],
     'doc': 'KFENCE serving every allocation it can: no tree node, block, '
            'blob, root FDT or scratch array in scratch or from KFENCE, '
            'across 3 generations'},
    {**DISTRO, 'name': 'distro-luo-thp', 'scenario': 'luo-thp', 'gens': 2,
     'timeout': 180, 'append': ['liveupdate=on'],
     'doc': 'transparent huge pages: a 16 MiB memfd of 2 MiB folios comes '
            'back in 2 MiB folios (ShmemHugePages), every byte'},
    {**DISTRO, 'name': 'distro-luo-multi', 'scenario': 'luo-multi',
     'gens': 2, 'timeout': 180, 'append': ['liveupdate=on'],
     'doc': 'luo-multi with deferred struct page init, KFENCE, NUMA'},
    {'name': 'debian-kho-chain-3gen', 'group': 'debian', 'variant': 'debian',
     'scenario': 'kho-chain', 'gens': 3, 'mem': '4G', 'numa': 2,
     'timeout': 300, 'append': ['kho_loader=kexec-tools'],
     'doc': "Debian's cloud-amd64 config (modules off) + the series, KHO on "
            "by default: 3 generations through kexec-tools, every byte "
            "verified"},
    {'name': 'fresh-demo', 'kind': 'command', 'group': 'ci',
     'command': ['harness/fresh-demo.sh'],
     'doc': 'bare Debian 12 (minbase + git + make): clone, make demo, PASS '
            '(CI only, or by name)'},
]

# arm64 (VARIANT=arm64: cross-built, qemu-system-aarch64 -M virt -cpu max,
# TCG, devicetree boot): the core data scenarios and some corrupt ones, as
# on x86_64 and judged by the same rules, plus the devicetree hand-off.
ARM64_LIKE_X86 = [
    'kho-preserve-2gen', 'kho-preserve-4g', 'kho-fdt-identical',
    'kho-vmalloc', 'kho-metadata-3gen', 'kho-reserve-mem-3gen',
    'kho-kaslr-3gen', 'kho-scratch-cma',
    # a weakly ordered architecture is where the tracker's locking shows
    'kho-churn-100k', 'kho-unload-reload', 'kho-stress-smp', 'kunit',
    'corrupt-fdt-magic', 'corrupt-fdt-compatible', 'corrupt-map-zero',
    'corrupt-map-outside-ram', 'corrupt-node-in-scratch',
    'corrupt-tree-cycle', 'corrupt-block-in-scratch',
    'corrupt-block-overlap', 'corrupt-blob-size',
    'corrupt-scratch-outside-ram', 'corrupt-scratch-overlap',
    # the Live Update Orchestrator: sessions and memfds across a kexec
    'luo-multi',
]


def arm64_test(t):
    """An x86_64 test run on the arm64 kernel, with a longer timeout."""
    t = dict(t, name='arm64-' + t['name'], variant='arm64',
             timeout=max(t.get('timeout', 120), 240))
    t['doc'] = 'arm64: ' + t['doc']
    return t


TESTS += [
    {'name': 'arm64-kho-dt-3gen', 'scenario': 'kho-dt', 'gens': 3,
     'variant': 'arm64', 'append': KHO_ON, 'timeout': 300,
     'doc': 'arm64: kho-chain-3gen through the devicetree: gen 2 and 3 '
            'find /chosen linux,kho-fdt (the previous root FDT, 4096) and '
            'linux,kho-scratch (the scratch array, in scratch) as one '
            'address/size pair each, so old copies were replaced'},
    {'name': 'arm64-kho-dt-size-cells-1', 'scenario': 'kho-dt', 'gens': 3,
     'variant': 'arm64', 'append': KHO_ON, 'timeout': 300,
     'dt_size_cells': 1,
     'doc': "arm64: arm64-kho-dt-3gen on QEMU's devicetree with a root "
            '#size-cells of 1: the pairs are 12 bytes and sizes are read '
            'with the size cells'},
    {'name': 'arm64-kho-dt-stale', 'scenario': 'kho-preserve', 'gens': 2,
     'variant': 'arm64', 'append': KHO_ON, 'timeout': 240,
     'dt_chosen': ['linux,kho-fdt = <0x00 0x60000000 0x00 0x1000>',
                   'linux,kho-scratch = <0x00 0x60001000 0x00 0x30>'],
     'expect_log': [(1, 'KHO: ignoring the hand-over: bad FDT magic')],
     'doc': 'arm64: the cold boot finds a stale hand-over in /chosen '
            '(zeroed memory) and ignores it; its kexec replaces it and '
            'gen 2 restores every byte'},
    {'name': 'arm64-kho-dt-malformed', 'scenario': 'kho-preserve',
     'gens': 2, 'variant': 'arm64', 'append': KHO_ON, 'timeout': 240,
     'dt_chosen': ['linux,kho-fdt = <0x00 0x60000000>',
                   'linux,kho-scratch = <0x00 0x60001000 0x00 0x30>'],
     'expect_log': [(1, 'OF: fdt: linux,kho-fdt: 8 bytes, want one '
                        'address/size pair')],
     'doc': 'arm64: a linux,kho-fdt that is no address/size pair is '
            'ignored with a warning; gen 2 restores every byte'},
    {'name': 'arm64-kho-numa-boundary', 'scenario': 'kho-numa', 'gens': 2,
     'variant': 'arm64', 'mem': '1526M', 'numa': 2, 'timeout': 240,
     # RAM starts at 1 GiB on -M virt: node 1 at 1024M + 763M
     'append': KHO_ON + ['test_kho_numa=2M@1786M'],
     'doc': 'arm64: kho-numa-boundary with nodes from the devicetree '
            '(a scratch region per node, blocks split at the boundary)'},
] + [arm64_test(t) for n in ARM64_LIKE_X86 for t in TESTS if t['name'] == n]

# clang (VARIANT=clang): the small kernel built with Debian's LLVM (LLVM=1),
# which must build without a warning and pass the core data scenarios.
CLANG_LIKE_GCC = [
    'kho-preserve-2gen', 'kho-chain-3gen', 'kho-vmalloc',
    'kho-reserve-mem-3gen', 'kho-stress-smp', 'kunit', 'corrupt-tree-cycle',
]


def clang_test(t):
    """An x86_64 test run on the kernel built with clang."""
    t = dict(t, name='clang-' + t['name'], variant='clang')
    t['doc'] = 'clang: ' + t['doc']
    return t


TESTS += [clang_test(t) for n in CLANG_LIKE_GCC for t in TESTS
          if t['name'] == n]
