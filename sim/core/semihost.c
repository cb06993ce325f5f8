/* semihost.c: Arm semihosting (BKPT 0xAB) for bare-metal programs: console output to the
 * caller's callback, exit with a code, simulated clock. Layer: sim/core. The one hook that
 * changes emulated state: it writes r0 (the result) and the run loop resumes after the BKPT.
 * Never prints. Operations are listed in semihosting.def. */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

#define BKPT_SEMIHOST 0xBEABu    /* BKPT #0xAB, Thumb encoding */
#define ADP_APPLICATION_EXIT 0x20026u
#define WRITE0_MAX_BYTES 65536u

enum semihost_op {
#define SEMIHOST(name, num, note) SYS_##name = num,
#include "semihosting.def"
#undef SEMIHOST
};

static ts_status guest_read(ts_core *c, uint32_t addr, void *dst, size_t n, ts_err *err)
{
    uc_err e = uc_mem_read(c->uc, addr, dst, n);
    char what[96];

    if (e == UC_ERR_OK)
        return TS_OK;
    snprintf(what, sizeof what, "semihosting parameter [0x%08x, +%zu) is not readable", addr, n);
    return core_fault(c, c->trap_pc, e, what, err);
}

static ts_status guest_write(ts_core *c, uint32_t addr, const void *src, size_t n, ts_err *err)
{
    uc_err e = uc_mem_write(c->uc, addr, src, n);
    char what[96];

    if (e == UC_ERR_OK)
        return TS_OK;
    snprintf(what, sizeof what, "semihosting result [0x%08x, +%zu) is not writable", addr, n);
    return core_fault(c, c->trap_pc, e, what, err);
}

static void emit(ts_core *c, const char *bytes, size_t n)
{
    if (c->cfg.output && n)
        c->cfg.output(c->cfg.output_opaque, bytes, n);
}

/* Copies guest bytes [addr, addr+len) to the output in chunks. */
static ts_status write_guest(ts_core *c, uint32_t addr, uint32_t len, ts_err *err)
{
    char buf[256];
    ts_status st = TS_OK;

    while (len && !st) {
        uint32_t n = len < sizeof buf ? len : (uint32_t)sizeof buf;

        st = guest_read(c, addr, buf, n, err);
        if (!st)
            emit(c, buf, n);
        addr += n;
        len -= n;
    }
    return st;
}

static ts_status write0(ts_core *c, uint32_t addr, ts_err *err)
{
    char ch;
    ts_status st = TS_OK;
    uint32_t n = 0;

    for (; n < WRITE0_MAX_BYTES && !st; n++) {
        st = guest_read(c, addr + n, &ch, 1, err);
        if (st || ch == '\0')
            break;
    }
    return st ? st : write_guest(c, addr, n, err);
}

static void do_exit(ts_core *c, uint32_t reason, uint32_t subcode, bool extended)
{
    c->stats.exited = true;
    c->stats.exit_reason = reason;
    if (reason != ADP_APPLICATION_EXIT)
        c->stats.exit_code = 1;
    else
        c->stats.exit_code = extended ? (int)subcode : 0;
}

/* Executes operation op with parameter r1; sets *r0 to the result. */
static ts_status dispatch(ts_core *c, uint32_t op, uint32_t r1, uint32_t *r0, ts_err *err)
{
    uint32_t blk[4] = {0, 0, 0, 0};
    uint64_t cyc = c->stats.cycles;
    char ch;
    ts_status st = TS_OK;

    *r0 = 0;
    switch (op) {
    case SYS_OPEN:
        if (!(st = guest_read(c, r1, blk, 12, err)) && !(st = guest_read(c, blk[0], &ch, 1, err)))
            *r0 = ch == ':' ? (blk[1] >= 4 ? 1u : 0u) : UINT32_MAX;
        return st;
    case SYS_CLOSE: case SYS_TIME: case SYS_ERRNO: return TS_OK;
    case SYS_WRITEC:
        if (!(st = guest_read(c, r1, &ch, 1, err)))
            emit(c, &ch, 1);
        return st;
    case SYS_WRITE0: return write0(c, r1, err);
    case SYS_WRITE:
        if (!(st = guest_read(c, r1, blk, 12, err)) && (blk[0] == 1 || blk[0] == 2))
            st = write_guest(c, blk[1], blk[2], err);
        return st;
    case SYS_READ:
        if (!(st = guest_read(c, r1, blk, 12, err)))
            *r0 = blk[2];
        return st;
    case SYS_ISTTY: *r0 = 1; return TS_OK;
    case SYS_CLOCK: *r0 = (uint32_t)(cyc * 100 / c->t->clock_hz); return TS_OK;
    case SYS_GET_CMDLINE:
        if (!(st = guest_read(c, r1, blk, 8, err)) && blk[1] > 0)
            st = guest_write(c, blk[0], "", 1, err);
        blk[1] = 0;
        return st ? st : guest_write(c, r1 + 4, &blk[1], 4, err);
    case SYS_HEAPINFO:
        if (!(st = guest_read(c, r1, &blk[3], 4, err)))
            st = guest_write(c, blk[3], (uint32_t[4]){0, 0, 0, 0}, 16, err);
        return st;
    case SYS_EXIT: do_exit(c, r1, 0, false); return TS_OK;
    case SYS_EXIT_EXTENDED:
        if (!(st = guest_read(c, r1, blk, 8, err)))
            do_exit(c, blk[0], blk[1], true);
        return st;
    case SYS_ELAPSED: return guest_write(c, r1, &cyc, 8, err);
    case SYS_TICKFREQ: *r0 = (uint32_t)c->t->clock_hz; return TS_OK;
    default:
        c->stats.semihost_unsupported++;
        *r0 = UINT32_MAX;
        return TS_OK;
    }
}

ts_status core_semihost(ts_core *c, ts_err *err)
{
    uint16_t insn = 0;
    uint32_t op = 0, r1 = 0, r0 = 0;
    ts_status st;
    char what[96];

    st = guest_read(c, c->trap_pc, &insn, 2, err);
    if (st)
        return st;
    if (insn != BKPT_SEMIHOST) {
        snprintf(what, sizeof what, "breakpoint bkpt #0x%02x (only #0xab, semihosting, is "
                 "supported)", insn & 0xFFu);
        return core_fault(c, c->trap_pc, UC_ERR_EXCEPTION, what, err);
    }
    uc_reg_read(c->uc, UC_ARM_REG_R0, &op);
    uc_reg_read(c->uc, UC_ARM_REG_R1, &r1);
    c->stats.semihost_calls++;
    st = dispatch(c, op, r1, &r0, err);
    if (!st && !c->stats.exited && uc_reg_write(c->uc, UC_ARM_REG_R0, &r0) != UC_ERR_OK)
        st = core_fault(c, c->trap_pc, UC_ERR_ARG, "cannot write the semihosting result", err);
    return st;
}
