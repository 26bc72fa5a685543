#ifndef BTSIM_CGSL_SHIM_H
#define BTSIM_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>

/* Generator types are C globals; Swift 6 strict concurrency refuses to read mutable
   globals, so they are reached through these accessors. */
static inline const gsl_rng_type *btsim_gsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *btsim_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/* taus2 keeps three 32-bit words in unsigned longs. gsl_rng_set() seeds them from one
   32-bit value, so 30,000 per-peer streams would collide by the birthday bound; this sets
   the whole 96-bit state instead, respecting the generator's lower bounds on each word. */
typedef struct { unsigned long s1, s2, s3; } btsim_taus2_state;
static inline void btsim_taus2_set_state(gsl_rng *r, unsigned long a, unsigned long b, unsigned long c) {
    btsim_taus2_state *s = (btsim_taus2_state *) r->state;
    s->s1 = (a & 0xffffffffUL) | 2UL;
    s->s2 = (b & 0xffffffffUL) | 8UL;
    s->s3 = (c & 0xffffffffUL) | 16UL;
}

#endif
