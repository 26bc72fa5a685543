#ifndef BTSIM_CISAL_SHIM_H
#define BTSIM_CISAL_SHIM_H

/* Intel ISA-L's Reed-Solomon erasure code over GF(2^8) (Debian libisal-dev). */
#include <isa-l/erasure_code.h>

#endif
