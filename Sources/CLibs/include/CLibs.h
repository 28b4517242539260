// Thin C shims over the C libraries registry-image uses. No logic lives here:
// only what Swift cannot call directly (variadic functions, macros, syscalls).
#ifndef REGISTRY_IMAGE_CLIBS_H
#define REGISTRY_IMAGE_CLIBS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <archive.h>
#include <archive_entry.h>
#include <isa-l/igzip_lib.h>
#include <zstd.h>
#include <sys/xattr.h> // fsetxattr / lsetxattr for PAX xattrs (not in Swift's Glibc module)

// MARK: libcurl (curl_easy_setopt is variadic)

typedef size_t (*ri_curl_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

CURLcode ri_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ri_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ri_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ri_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ri_curl_setopt_data_callback(CURL *handle, CURLoption option, ri_curl_data_callback value);
typedef int (*ri_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);
CURLcode ri_curl_setopt_xferinfo_callback(CURL *handle, ri_curl_xferinfo_callback value);

// MARK: libarchive

void ri_archive_set_error(struct archive *archive, int code, const char *message);

// MARK: Linux syscalls

// openat2(2). Returns a file descriptor, or -1 with errno set (ENOSYS when the
// kernel or headers lack it; EPERM when a seccomp filter refuses it).
int ri_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

// RESOLVE_* flags (values from linux/openat2.h), exposed as constants.
extern const uint64_t RI_RESOLVE_IN_ROOT;
extern const uint64_t RI_RESOLVE_NO_MAGICLINKS;

// ISA-L's inflate state holds a large window; allocate it on the heap.
struct inflate_state *ri_isal_inflate_state_new(void);
void ri_isal_inflate_state_free(struct inflate_state *state);

// ISA-L's deflate stream embeds its hash tables; allocate it on the heap.
struct isal_zstream *ri_isal_zstream_new(void);
void ri_isal_zstream_free(struct isal_zstream *stream);
// ISAL_DEF_LVL1_DEFAULT: the level-1 buffer size (a macro expression Swift cannot import).
extern const uint32_t RI_ISAL_DEF_LVL1_DEFAULT;

#endif
