// OpenSSL's digests (EVP) and HMAC, the certificate store libcurl's TLS
// contexts share, and the signatures, X.509 chains and certificate
// transparency (SCT) checks of image signatures, callable from Swift as they are.
#ifndef REGISTRY_IMAGE_CCRYPTO_H
#define REGISTRY_IMAGE_CCRYPTO_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <openssl/ct.h>

#endif
