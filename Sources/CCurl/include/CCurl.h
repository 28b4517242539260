// libcurl for Swift: curl_easy_setopt is variadic, so each argument type gets
// a one-line shim. No logic lives here.
#ifndef REGISTRY_IMAGE_CCURL_H
#define REGISTRY_IMAGE_CCURL_H

#include <curl/curl.h>

typedef size_t (*ri_curl_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

CURLcode ri_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ri_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ri_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ri_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ri_curl_setopt_data_callback(CURL *handle, CURLoption option, ri_curl_data_callback value);
typedef int (*ri_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                         curl_off_t ultotal, curl_off_t ulnow);
CURLcode ri_curl_setopt_xferinfo_callback(CURL *handle, ri_curl_xferinfo_callback value);
typedef CURLcode (*ri_curl_ssl_ctx_callback)(CURL *handle, void *ssl_ctx, void *userdata);
CURLcode ri_curl_setopt_ssl_ctx_callback(CURL *handle, ri_curl_ssl_ctx_callback value);

#endif
