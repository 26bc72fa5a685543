#ifndef BTSIM_CGCRYPT_SHIM_H
#define BTSIM_CGCRYPT_SHIM_H

/* libgcrypt: ARCFOUR (RC4) and multi-precision modular exponentiation, for BitTorrent's
   message stream encryption (docs/live.md, docs/decisions.md). */
#include <gcrypt.h>

/* gcry_control is variadic, which Swift cannot call: the one-time initialization the
   library asks of every program happens here. Returns 0 when the library at run time is
   older than the header built against. */
static inline int btsim_gcrypt_initialize(void) {
    if (gcry_check_version(GCRYPT_VERSION) == NULL) return 0;
    /* Nothing here is a long-term secret: the Diffie–Hellman keys live for one handshake. */
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return 1;
}

#endif
