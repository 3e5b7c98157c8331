/* swar.h: tests of eight bytes at once in a 64-bit word (SIMD within a
 * register), for scans that pass over the bytes holding nothing they look
 * for: digits, capitals, word bytes, a stop. */
#ifndef DBF_SWAR_H
#define DBF_SWAR_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define DBF__SWAR_ONES ((uint64_t)0x0101010101010101u)
#define DBF__SWAR_HIGHS ((uint64_t)0x8080808080808080u)

/* The eight bytes at S, the first in the lowest byte. */
static inline uint64_t dbf__load8(const char *s)
{
    uint64_t x;
    memcpy(&x, s, 8);
    return x;
}

/* The high bit of each byte of X that is in [LO, HI] (LO <= HI < 0x80). A
 * byte below 0x80 is in the range when adding 0x80 - LO sets its high bit
 * and adding 0x7F - HI does not; no sum carries into the next byte. */
static inline uint64_t dbf__bytes_in(uint64_t x, unsigned char lo, unsigned char hi)
{
    uint64_t t = x & ~DBF__SWAR_HIGHS;
    return (t + DBF__SWAR_ONES * (0x80u - lo)) & ~(t + DBF__SWAR_ONES * (0x7Fu - hi)) & ~x &
           DBF__SWAR_HIGHS;
}

/* Does X hold the byte C? (A byte of X ^ C is zero: subtracting one from
 * each byte borrows through the high bit of the first zero.) */
static inline bool dbf__holds_byte(uint64_t x, unsigned char c)
{
    uint64_t y = x ^ (DBF__SWAR_ONES * c);
    return ((y - DBF__SWAR_ONES) & ~y & DBF__SWAR_HIGHS) != 0;
}

#endif
