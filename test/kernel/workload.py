# Bounded memory workloads for the real-kernel tests (run inside a memory cgroup by the test).
#   thrash FILE FILE_MIB THRASH_SECONDS STEP_MIB : write FILE, drop it from the page cache, re-read it
#       for THRASH_SECONDS (a working set larger than the limit thrashes), then grow anonymous memory
#       by STEP_MIB per step while still reading, until the kernel kills us.
#   burst STEP_MIB : grow anonymous memory as fast as possible until killed.
#   hold MIB : allocate MIB of anonymous memory, print "ready", then keep growing slowly.
# Every mode gives up after 100 s (exit code 3) so a test can never hang on it.
import os
import random
import sys
import time

deadline = time.monotonic() + 100
MIB = 1024 * 1024
mode = sys.argv[1]
held = []


def touch(n_mib):
    b = bytearray(n_mib * MIB)
    for i in range(0, len(b), 4096):
        b[i] = 1
    held.append(b)


if mode == 'thrash':
    path, file_mib, thrash_s, step = sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    chunk = os.urandom(MIB)
    with open(path, 'wb') as f:
        for _ in range(file_mib):
            f.write(chunk)
        f.flush()
        os.fsync(f.fileno())
    fd = os.open(path, os.O_RDONLY)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    # Random page-sized reads with readahead off: as the anonymous memory grows, each read of a page the
    # limit pushed out is a refault the task waits for, and each allocation reclaims first (both are
    # memory stalls), however fast the disk behind the file is. Sequential 1 MiB reads, served by
    # readahead, stalled only 2 % on a fast disk of an idle machine.
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
    print('thrashing', flush=True)
    pages = file_mib * MIB // 4096
    rnd = random.Random(1)
    end = time.monotonic() + thrash_s
    while time.monotonic() < end:
        os.pread(fd, 4096, rnd.randrange(pages) * 4096)
    print('growing', flush=True)
    while time.monotonic() < deadline:
        touch(step)
        for _ in range(1024):
            os.pread(fd, 4096, rnd.randrange(pages) * 4096)
elif mode == 'burst':
    step = int(sys.argv[2])
    print('growing', flush=True)
    while time.monotonic() < deadline:
        touch(step)
elif mode == 'hold':
    touch(int(sys.argv[2]))
    print('ready', flush=True)
    while time.monotonic() < deadline:
        touch(1)
        time.sleep(0.02)
sys.exit(3)
