#define _GNU_SOURCE
#include "CLibs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

CURLcode ri_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ri_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ri_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ri_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ri_curl_setopt_data_callback(CURL *handle, CURLoption option, ri_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
CURLcode ri_curl_setopt_xferinfo_callback(CURL *handle, ri_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

void ri_archive_set_error(struct archive *archive, int code, const char *message) {
    archive_set_error(archive, code, "%s", message);
}

// Defined locally so the build does not depend on linux/openat2.h being present.
struct ri_open_how {
    uint64_t flags;
    uint64_t mode;
    uint64_t resolve;
};
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

const uint64_t RI_RESOLVE_IN_ROOT = 0x10;
const uint64_t RI_RESOLVE_NO_MAGICLINKS = 0x02;

int ri_openat2(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct ri_open_how how;
    memset(&how, 0, sizeof how);
    how.flags = flags;
    how.mode = mode;
    how.resolve = resolve;
    return (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

struct inflate_state *ri_isal_inflate_state_new(void) {
    return calloc(1, sizeof(struct inflate_state));
}
void ri_isal_inflate_state_free(struct inflate_state *state) {
    free(state);
}

struct isal_zstream *ri_isal_zstream_new(void) {
    return calloc(1, sizeof(struct isal_zstream));
}
void ri_isal_zstream_free(struct isal_zstream *stream) {
    free(stream);
}
const uint32_t RI_ISAL_DEF_LVL1_DEFAULT = ISAL_DEF_LVL1_DEFAULT;
