/* A fault-injection shim for kho's tests, loaded with LD_PRELOAD (tests/CMakeLists.txt builds it as
 * kho_fault_shim). It makes chosen file operations fail the way a failing disk or a full one does:
 *
 *   KHO_FAULT_EIO=TEXT     read(), pread(), readv() on a file whose path contains TEXT fail with EIO;
 *   KHO_FAULT_ENOSPC=TEXT  write(), pwrite(), writev(), pwritev() on such a file fail with ENOSPC.
 *
 * The path of a descriptor is read from /proc/self/fd, so it works whatever opened the file (open, openat,
 * fopen, std::ifstream, LMDB). Unset variables: every call goes straight to libc. Test-only code. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

static int fd_matches(int fd, const char* var) {
  const char* want = getenv(var);
  if (!want || !*want || fd < 0) return 0;
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return strstr(path, want) != NULL;
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))
#define FAIL_IF(fd, var, err) \
  do {                        \
    if (fd_matches(fd, var)) { \
      errno = err;            \
      return -1;              \
    }                         \
  } while (0)

ssize_t read(int fd, void* buf, size_t n) {
  FAIL_IF(fd, "KHO_FAULT_EIO", EIO);
  return NEXT(read)(fd, buf, n);
}
ssize_t __read_chk(int fd, void* buf, size_t n, size_t buflen) {
  (void)buflen;
  FAIL_IF(fd, "KHO_FAULT_EIO", EIO);
  return NEXT(read)(fd, buf, n);
}
ssize_t pread(int fd, void* buf, size_t n, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_EIO", EIO);
  return NEXT(pread)(fd, buf, n, off);
}
ssize_t pread64(int fd, void* buf, size_t n, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_EIO", EIO);
  return NEXT(pread64)(fd, buf, n, off);
}
ssize_t readv(int fd, const struct iovec* iov, int cnt) {
  FAIL_IF(fd, "KHO_FAULT_EIO", EIO);
  return NEXT(readv)(fd, iov, cnt);
}
ssize_t write(int fd, const void* buf, size_t n) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(write)(fd, buf, n);
}
ssize_t pwrite(int fd, const void* buf, size_t n, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(pwrite)(fd, buf, n, off);
}
ssize_t pwrite64(int fd, const void* buf, size_t n, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(pwrite64)(fd, buf, n, off);
}
ssize_t writev(int fd, const struct iovec* iov, int cnt) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(writev)(fd, iov, cnt);
}
ssize_t pwritev(int fd, const struct iovec* iov, int cnt, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(pwritev)(fd, iov, cnt, off);
}
ssize_t pwritev64(int fd, const struct iovec* iov, int cnt, off_t off) {
  FAIL_IF(fd, "KHO_FAULT_ENOSPC", ENOSPC);
  return NEXT(pwritev64)(fd, iov, cnt, off);
}
