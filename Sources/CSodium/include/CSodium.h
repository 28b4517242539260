// libsodium, for what OpenSSL lacks: the scrypt and NaCl secretbox that
// cosign's encrypted private keys use.
#ifndef REGISTRY_IMAGE_CSODIUM_H
#define REGISTRY_IMAGE_CSODIUM_H

#include <sodium.h>

#endif
