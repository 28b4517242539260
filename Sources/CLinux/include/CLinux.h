// Linux system calls and headers Swift's Glibc module lacks. No logic here.
#ifndef REGISTRY_IMAGE_CLINUX_H
#define REGISTRY_IMAGE_CLINUX_H

#include <stdint.h>
#include <sys/types.h>
#include <sys/xattr.h> // fsetxattr / lsetxattr for PAX xattrs

// openat2(2). Returns a file descriptor, or -1 with errno set (ENOSYS when the
// kernel or headers lack it; EPERM when a seccomp filter refuses it).
int ri_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

// RESOLVE_* flags (values from linux/openat2.h), exposed as constants.
extern const uint64_t RI_RESOLVE_IN_ROOT;
extern const uint64_t RI_RESOLVE_NO_MAGICLINKS;

// CPUs this thread may run on (sched_getaffinity, so `taskset -c 0` gives 1); 1 when unknown.
int ri_available_cpus(void);

// mallopt(M_MMAP_THRESHOLD, bytes): allocations of at least `bytes` are mapped
// and returned to the kernel when freed. Setting it also stops glibc from
// raising the threshold after each free of a mapped block.
void ri_fix_mmap_threshold(int bytes);

// pthread_setname_np(pthread_self(), name) (a GNU extension Glibc's module
// hides): the calling thread's name in /proc and profilers, cut to 15 bytes.
void ri_name_this_thread(const char *name);

#endif
