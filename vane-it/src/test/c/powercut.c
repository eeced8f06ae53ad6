/*
 * powercut.so: an LD_PRELOAD layer for PowerCutTest (test-only; never shipped).
 *
 * For files under $POWERCUT_DIR (except SQLite's "-shm" file, which SQLite rebuilds and never needs
 * to be durable) it appends to $POWERCUT_LOG, before the call goes through to the real file:
 *   'W' a data write (pwrite, pwrite64, write, writev): path, offset, length, the file's size before,
 *       and the bytes that were there before (read with pread first);
 *   'T' a size change (ftruncate, ftruncate64): path, new size, old size, and the bytes it cuts off;
 *   'S' a sync point (fsync, fdatasync) of such a file, once the real call succeeded. It carries the
 *       log's length when the call began: only records before that are known to be on the platter
 *       (a write from another thread while the sync runs may or may not be).
 * The log is never synced: it only has to survive SIGKILL, which keeps the page cache. The Java side
 * (io.vane.it.PowerCut) reads it after the kill and plays a power cut: it reverts or tears writes that
 * came after a file's last sync point.
 *
 * $POWERCUT_KILL_AFTER_WRITES=N makes the process SIGKILL itself right after its N-th logged write went
 * through, so the cut lands inside a commit rather than at a moment chosen from outside.
 *
 * $POWERCUT_NO_SYNC=1 makes fsync/fdatasync of those files do nothing and record nothing: a store that
 * believes it synced but did not, which the test must catch.
 *
 * Record layout (host byte order): u8 type, u16 path length, path, then
 *   W: i64 offset, i64 length, i64 old size, old bytes (min(length, old size - offset), at least 0)
 *   T: i64 new size, i64 old size, old bytes (old size - new size, when it shrinks)
 *   S: i64 the log's length when the sync began
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_ftruncate)(int, off_t);
static int (*real_ftruncate64)(int, off64_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

static char dir[PATH_MAX];
static size_t dir_len;
static int log_fd = -1;
static int no_sync;
static int64_t logged; /* the log's length (records' positions are offsets in it); under lock */
static long kill_after;
static long writes_done; /* under lock */
/* One lock around "read the old bytes, log them, write": the old bytes must be the ones the write replaces. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define REAL(name) do { if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name); } while (0)

__attribute__((constructor)) static void init(void) {
    REAL(pwrite); REAL(pwrite64); REAL(write); REAL(writev);
    REAL(ftruncate); REAL(ftruncate64); REAL(fsync); REAL(fdatasync);
    const char *d = getenv("POWERCUT_DIR");
    const char *l = getenv("POWERCUT_LOG");
    if (!d || !l || !realpath(d, dir)) {
        return; /* not configured: every call just goes through */
    }
    dir_len = strlen(dir);
    log_fd = open(l, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
        fprintf(stderr, "powercut: cannot open %s: %s\n", l, strerror(errno));
        abort(); /* a layer that records nothing would make the test pass for the wrong reason */
    }
    struct stat st;
    logged = fstat(log_fd, &st) == 0 ? (int64_t) st.st_size : 0; /* an earlier process's records stay */
    const char *k = getenv("POWERCUT_KILL_AFTER_WRITES");
    kill_after = k ? atol(k) : 0;
    const char *n = getenv("POWERCUT_NO_SYNC");
    no_sync = n && strcmp(n, "1") == 0;
}

/* The path of fd when it is a watched file, else 0. */
static int watched(int fd, char *path, size_t *len) {
    if (log_fd < 0 || fd == log_fd || fd < 0) {
        return 0;
    }
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, PATH_MAX - 1);
    if (n <= (ssize_t) dir_len || memcmp(path, dir, dir_len) != 0 || path[dir_len] != '/') {
        return 0;
    }
    path[n] = 0;
    if (n > 4 && strcmp(path + n - 4, "-shm") == 0) {
        return 0;
    }
    *len = (size_t) n;
    return 1;
}

static void put(const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = real_write(log_fd, c, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            fprintf(stderr, "powercut: cannot write the log: %s\n", strerror(errno));
            abort();
        }
        c += w;
        n -= (size_t) w;
        logged += w;
    }
}

static void header(char type, const char *path, size_t len) {
    uint16_t l = (uint16_t) len;
    put(&type, 1);
    put(&l, 2);
    put(path, len);
}

/*
 * Appends the bytes at [from, to) of the file to the log, in chunks. A write-only descriptor (as
 * truncate(1) opens) cannot be read, so the file is then opened again for reading by its path.
 */
static void old_bytes(int fd, const char *path, int64_t from, int64_t to) {
    char buf[65536];
    int rfd = fd;
    while (from < to) {
        size_t want = (size_t) (to - from < (int64_t) sizeof buf ? to - from : (int64_t) sizeof buf);
        ssize_t r = pread(rfd, buf, want, from);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0 && errno == EBADF && rfd == fd) {
            rfd = open(path, O_RDONLY | O_CLOEXEC);
            if (rfd >= 0) {
                continue;
            }
        }
        if (r < 0) {
            fprintf(stderr, "powercut: cannot read the old bytes of %s: %s\n", path, strerror(errno));
            abort(); /* a log with wrong old bytes would revert to a state that never was */
        }
        if (r == 0) { /* shorter than fstat said (it cannot be while we hold the lock): keep the record whole */
            memset(buf, 0, want);
            r = (ssize_t) want;
        }
        put(buf, (size_t) r);
        from += r;
    }
    if (rfd != fd) {
        close(rfd);
    }
}

/* Called under lock after a logged call went through. */
static void after_write(void) {
    if (kill_after > 0 && ++writes_done >= kill_after) {
        kill(getpid(), SIGKILL);
    }
}

static int64_t size_of(int fd) {
    struct stat st;
    return fstat(fd, &st) == 0 ? (int64_t) st.st_size : 0;
}

/* Logs a write of len bytes at offset (-1: at the file position, or the end with O_APPEND). */
static void record_write(int fd, const char *path, size_t plen, int64_t offset, size_t len) {
    int64_t size = size_of(fd);
    if (offset < 0) {
        int fl = fcntl(fd, F_GETFL);
        offset = (fl >= 0 && (fl & O_APPEND)) ? size : (int64_t) lseek(fd, 0, SEEK_CUR);
    }
    int64_t l = (int64_t) len;
    int64_t end = offset + l < size ? offset + l : size;
    header('W', path, plen);
    put(&offset, 8);
    put(&l, 8);
    put(&size, 8);
    if (end > offset) {
        old_bytes(fd, path, offset, end);
    }
}

static void record_truncate(int fd, const char *path, size_t plen, int64_t new_size) {
    int64_t size = size_of(fd);
    header('T', path, plen);
    put(&new_size, 8);
    put(&size, 8);
    if (size > new_size) {
        old_bytes(fd, path, new_size, size);
    }
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_pwrite(fd, buf, n, off);
    }
    pthread_mutex_lock(&lock);
    record_write(fd, path, plen, off, n);
    ssize_t r = real_pwrite(fd, buf, n, off);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off) {
    REAL(pwrite64);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_pwrite64(fd, buf, n, off);
    }
    pthread_mutex_lock(&lock);
    record_write(fd, path, plen, off, n);
    ssize_t r = real_pwrite64(fd, buf, n, off);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_write(fd, buf, n);
    }
    pthread_mutex_lock(&lock);
    record_write(fd, path, plen, -1, n);
    ssize_t r = real_write(fd, buf, n);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

ssize_t writev(int fd, const struct iovec *iov, int count) {
    REAL(writev);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_writev(fd, iov, count);
    }
    size_t n = 0;
    for (int i = 0; i < count; i++) {
        n += iov[i].iov_len;
    }
    pthread_mutex_lock(&lock);
    record_write(fd, path, plen, -1, n);
    ssize_t r = real_writev(fd, iov, count);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

int ftruncate(int fd, off_t size) {
    REAL(ftruncate);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_ftruncate(fd, size);
    }
    pthread_mutex_lock(&lock);
    record_truncate(fd, path, plen, size);
    int r = real_ftruncate(fd, size);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

int ftruncate64(int fd, off64_t size) {
    REAL(ftruncate64);
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real_ftruncate64(fd, size);
    }
    pthread_mutex_lock(&lock);
    record_truncate(fd, path, plen, size);
    int r = real_ftruncate64(fd, size);
    after_write();
    pthread_mutex_unlock(&lock);
    return r;
}

/* A sync point is logged only after the real sync returned: a write is durable once that happened. */
static int sync_point(int fd, int (*real)(int)) {
    char path[PATH_MAX];
    size_t plen;
    if (!watched(fd, path, &plen)) {
        return real(fd);
    }
    if (no_sync) {
        return 0;
    }
    pthread_mutex_lock(&lock);
    int64_t began = logged;
    pthread_mutex_unlock(&lock);
    int r = real(fd);
    if (r == 0) {
        pthread_mutex_lock(&lock);
        header('S', path, plen);
        put(&began, 8);
        pthread_mutex_unlock(&lock);
    }
    return r;
}

int fsync(int fd) {
    REAL(fsync);
    return sync_point(fd, real_fsync);
}

int fdatasync(int fd) {
    REAL(fdatasync);
    return sync_point(fd, real_fdatasync);
}
