/* semihost.h: the semihosting calls the C test firmware uses (BKPT 0xAB, r0 = op, r1 = arg). */
#ifndef FW_SEMIHOST_H
#define FW_SEMIHOST_H

static inline unsigned semihost(unsigned op, const void *arg)
{
    register unsigned r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;

    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static inline void sh_puts(const char *s)
{
    semihost(0x04, s); /* SYS_WRITE0 */
}

static inline void sh_write(const char *s, unsigned n)
{
    unsigned blk[3] = {1, (unsigned)s, n};

    semihost(0x05, blk); /* SYS_WRITE to handle 1 */
}

#endif
