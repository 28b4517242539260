// OpenSSL's digests (EVP) and HMAC, callable from Swift as they are.
#ifndef REGISTRY_IMAGE_CCRYPTO_H
#define REGISTRY_IMAGE_CCRYPTO_H

#include <openssl/evp.h>
#include <openssl/hmac.h>

#endif
