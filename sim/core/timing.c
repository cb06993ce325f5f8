/* timing.c: static cost of a decoded block and the data-dependent divide cost, from the target's
 * per-class cycle table and pipeline parameters (all numbers are data in targets/NAME.json).
 * Layer: sim/core. Computes cycles only; never touches emulated state.
 * In-block corrections (each parameter cites its TRM section in the JSON):
 *   ldm/stm/fp_ldm/fp_stm: class cost + ceil(N / ldm_regs_per_cycle)            (M4 "1+N")
 *   load pipelining: a load/store with cost >= 2 right after a single load whose result it does
 *     not use for its address saves load_pipeline_cycles                       (M4 3.3.2)
 *   AGU stall: a load/store whose address uses the previous data-processing result
 *     + agu_stall_cycles                                                         (M4 3.3.2)
 *   FP result stall: next instruction reads an fp_alu/fp_mac result + fp_result_stall_cycles
 *   multiplier = small: mul costs small_multiplier_cycles                        (M0 "1 or 32")
 *   dual issue (approximation): "any" pairs adjacent independent instructions that use
 *     different units (a pair costs the max of the two); "t16" pairs two 16-bit ALU
 *     instructions. Not modelled: branch prediction, load-use latency beyond the class cost,
 *     IT folding, unaligned accesses, bus contention, interrupts.
 * Block boundaries: every correction above compares adjacent instructions of ONE decoded block
 * (a Unicorn translation block), so load pipelining, the AGU and FP result stalls and dual-issue
 * pairing restart at every block boundary: a block's first instruction is costed as if nothing
 * came before it, and its last is never paired with the next block's first. The cost is static
 * per block and cached (decode.c); carrying state across blocks would need a cost per pair of
 * consecutive blocks. A block normally ends at a branch, which starts no pipelining and never
 * pairs (is_serialising), so the approximation only drops a correction when a block ends
 * elsewhere (e.g. at a page boundary or the translator's block size limit) [assumption]. */
#include "core_int.h"

static bool is_single_load(const insn_info *ii)
{
    return ii->cls == TS_OP_load;
}

static bool is_single_mem(const insn_info *ii)
{
    return ii->cls == TS_OP_load || ii->cls == TS_OP_store || ii->cls == TS_OP_store_reg;
}

static bool is_data_processing(const insn_info *ii)
{
    return ii->cls == TS_OP_alu || ii->cls == TS_OP_mul || ii->cls == TS_OP_mla ||
           ii->cls == TS_OP_dsp_mac || ii->cls == TS_OP_dsp_simd;
}

static uint32_t insn_cost(const ts_target *t, const insn_info *ii)
{
    uint32_t cyc = t->cycles[ii->cls].min_cycles;

    if (ii->cls == TS_OP_mul && t->multiplier == TS_MULT_SMALL)
        cyc = t->small_multiplier_cycles;
    if (ii->cls == TS_OP_ldm || ii->cls == TS_OP_stm || ii->cls == TS_OP_fp_ldm ||
        ii->cls == TS_OP_fp_stm)
        cyc += (ii->n_words + t->ldm_regs_per_cycle - 1) / t->ldm_regs_per_cycle;
    return cyc;
}

/* Cycles to add (or, as a negative number, save) on `cur` because of `prev`. */
static int pair_adjust(const ts_target *t, const insn_info *prev, const insn_info *cur,
                       uint32_t cur_cost)
{
    int adj = 0;

    if (is_single_load(prev) && is_single_mem(cur) && !(cur->addr & prev->dst) && cur_cost >= 2)
        adj -= (int)t->load_pipeline_cycles;
    if (is_data_processing(prev) && (cur->is_load || cur->is_store) && (cur->addr & prev->dst))
        adj += (int)t->agu_stall_cycles;
    if ((prev->cls == TS_OP_fp_alu || prev->cls == TS_OP_fp_mac) &&
        (cur->src & prev->dst & ~RM_FLAGS))
        adj += (int)t->fp_result_stall_cycles;
    return adj;
}

/* Classes that never dual-issue (M7: LDM/STM, LDRD/STRD, divides... cannot dual-issue). */
static bool is_serialising(const insn_info *ii)
{
    const uint64_t set = OC(ldm) | OC(stm) | OC(load_double) | OC(store_double) | OC(excl) |
                         OC(div) | OC(fp_div) | OC(fp_sqrt) | OC(fp_ldm) | OC(fp_stm) |
                         OC(sysreg) | OC(barrier) | OC(trap) | OC(wait) | OC(unknown) |
                         OC(branch) | OC(bl) | OC(table_branch);

    return in_set(set, ii->cls);
}

static bool is_mac_unit(const insn_info *ii)
{
    return ii->cls == TS_OP_mul || ii->cls == TS_OP_mla || ii->cls == TS_OP_mul_long ||
           ii->cls == TS_OP_dsp_mac;
}

static bool is_fp(const insn_info *ii)
{
    return ii->cls >= TS_OP_fp_alu && ii->cls <= TS_OP_fp_stm;
}

/* Can a and the following b issue together under the target's dual-issue mode? */
static bool can_pair(const ts_target *t, const insn_info *a, const insn_info *b)
{
    if (t->dual_issue == TS_DUAL_NONE || is_serialising(a) || (b->src & a->dst & ~RM_FLAGS))
        return false;
    if (t->dual_issue == TS_DUAL_T16)
        return a->size == 2 && b->size == 2 && a->cls == TS_OP_alu &&
               (b->cls == TS_OP_alu || b->cls == TS_OP_branch);
    if (b->cls != TS_OP_branch && is_serialising(b))
        return false;
    if ((a->is_store && b->is_store) || (is_mac_unit(a) && (is_mac_unit(b) || b->is_store)) ||
        (is_mac_unit(b) && a->is_store) || (is_fp(a) && is_fp(b)))
        return false;
    return true;
}

uint32_t timing_block_cycles(const ts_target *t, const insn_info *insns, uint32_t n)
{
    uint64_t total = 0;
    uint32_t prev_cost = 0;
    bool prev_paired = false;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t cost = insn_cost(t, &insns[i]);
        int64_t c = cost;

        if (i > 0)
            c += pair_adjust(t, &insns[i - 1], &insns[i], cost);
        if (i > 0 && !prev_paired && can_pair(t, &insns[i - 1], &insns[i])) {
            /* the pair costs max(prev, cur): prev was already charged */
            c = cost > prev_cost ? (int64_t)(cost - prev_cost) : 0;
            prev_paired = true;
        } else {
            prev_paired = false;
        }
        total += c > 0 ? (uint64_t)c : 0;
        prev_cost = cost;
    }
    return total > UINT32_MAX ? UINT32_MAX : (uint32_t)total;
}

static uint32_t bit_length(uint32_t v)
{
    return v ? 32u - (uint32_t)__builtin_clz(v) : 0;
}

/* Early-terminating divide [derived approximation; Arm documents only the 2..12 range]: the cost
 * grows linearly from min to max with the number of significant quotient bits,
 * q = bitlen(|n|) - bitlen(|d|) + 1 (0 when |n| < |d| or d = 0). */
uint32_t timing_div_cycles(uint32_t min_cycles, uint32_t max_cycles, uint32_t dividend,
                           uint32_t divisor, bool is_signed)
{
    uint32_t n = dividend, d = divisor;
    int q;

    if (is_signed) {
        n = (int32_t)n < 0 ? 0u - n : n;
        d = (int32_t)d < 0 ? 0u - d : d;
    }
    if (d == 0 || n < d)
        return min_cycles;
    q = (int)bit_length(n) - (int)bit_length(d) + 1;
    return min_cycles + ((max_cycles - min_cycles) * (uint32_t)q + 31) / 32;
}
