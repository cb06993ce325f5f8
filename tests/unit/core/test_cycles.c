/* Cycle-model fidelity: micro.S snippets at zero wait states, each compared with the cycles the
 * Technical Reference Manual states (row cited per test). The snippet's cost is the difference
 * from the empty build, so set-up and exit code cancel out. */
#include "core_test.h"

/* ARM DDI 0439D §3.3.2: "LDR R0,[R1,R5]; LDR R1,[R2]; LDR R2,[R3,#4]" = 4 cycles: three
 * independent back-to-back loads pipeline (2 + 1 + 1). */
Test(cycles, m4_three_independent_loads_take_four_cycles)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "ldr3"), 4);
}

/* DDI 0439D §3.3.2: a load whose address is the previous load's result does not pipeline:
 * 2 + 2. */
Test(cycles, m4_dependent_load_does_not_pipeline)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "ldr_dep"), 4);
}

/* DDI 0439D §3.3.2: "Any load or store that generates an address dependent on the result of a
 * preceding data processing operation stalls the pipeline for an additional cycle": 1 + 2 + 1. */
Test(cycles, m4_address_from_alu_result_stalls_one_cycle)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "agu"), 4);
}

/* DDI 0439D Table 3-1 "STM 1+N" and §3.3.2 "an eight element store takes nine cycles". */
Test(cycles, m4_eight_register_stm_takes_nine_cycles)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "stm8"), 9);
}

/* DDI 0439D Table 3-1 "PUSH 1+N": four registers, 5 cycles. */
Test(cycles, m4_push_of_four_registers_takes_five_cycles)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "push4"), 5);
}

/* DDI 0439D Table 3-1 "B 1+P", P = 1..3; targets/cortex-m4.json chooses P = 2 (middle). */
Test(cycles, m4_taken_branch_costs_one_plus_p_with_p_two)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "branch"), 3);
}

/* DDI 0439D Table 3-1 "BL 1+P", P = 2. */
Test(cycles, m4_bl_costs_one_plus_p)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "bl"), 3);
}

/* DDI 0439D Table 7-1 "VDIV.F32 14". */
Test(cycles, m4_vdiv_f32_takes_fourteen_cycles)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "vdiv"), 14);
}

/* DDI 0439D §7.2.3: FP arithmetic takes one cycle longer when the next instruction consumes
 * its result: VADD (1+1) then VADD (1). */
Test(cycles, m4_fp_result_used_next_costs_one_more_cycle)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "vadd_dep"), 3);
}

/* DDI 0439D Table 3-1 "SDIV/UDIV 2 to 12, early termination". 1000 / 3 has 9 significant
 * quotient bits: the model gives 2 + ceil(10 * 9 / 32) = 5 (timing.c, derived approximation). */
Test(cycles, m4_udiv_terminates_early_for_small_quotients)
{
    long long c = snippet_cycles("cortex-m4", "m4", "udiv");

    cr_expect_eq(c, 5);
    cr_expect(c >= 2 && c <= 12);
}

/* ARM DDI 0432C Table 3-1: "B 3" (taken) and "BL 4". */
Test(cycles, m0_taken_branch_takes_three_and_bl_four)
{
    cr_expect_eq(snippet_cycles("cortex-m0", "m0", "branch"), 3);
    cr_expect_eq(snippet_cycles("cortex-m0", "m0", "bl"), 4);
}

/* DDI 0432C Table 3-1 "PUSH 1+N" and "MULS 1 or 32" (fast multiplier in cortex-m0.json). */
Test(cycles, m0_push_is_one_plus_n_and_fast_muls_one)
{
    cr_expect_eq(snippet_cycles("cortex-m0", "m0", "push4"), 5);
    cr_expect_eq(snippet_cycles("cortex-m0", "m0", "muls"), 1);
}

/* DDI 0432C "MULS 1 or 32": the small-multiplier option costs 32. */
Test(cycles, m0_small_multiplier_muls_takes_thirty_two)
{
    ts_target t = load_target("cortex-m0", true);
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(ts_target_set(&t, "multiplier", "small", &err), TS_OK, "%s", err.msg);
    cr_expect_eq((long long)run_fw(&t, "m0_muls").cycles - (long long)run_fw(&t, "m0_none").cycles,
                 32);
}

/* Cortex-M0+ TRM DDI 0484 (NUMBERS.md 2.2, secondary): taken branch 2, BL 3. */
Test(cycles, m0plus_taken_branch_takes_two_and_bl_three)
{
    cr_expect_eq(snippet_cycles("cortex-m0plus", "m0plus", "branch"), 2);
    cr_expect_eq(snippet_cycles("cortex-m0plus", "m0plus", "bl"), 3);
}

/* DDI 0439D Table 3-1 "B 1+P": a taken branch refills the pipeline wherever it goes, also to
 * the next instruction ("b 1f; 1:"), which the block hook sees as a fall-through. */
Test(cycles, m4_taken_branch_to_the_next_instruction_costs_one_plus_p)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "branch_next"), 3);
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "bl_next"), 3, "BL 1+P");
}

/* DDI 0439D Table 3-1 "B<cc> 1 (not taken), 1+P (taken)": CMP (1) then a conditional branch to
 * the next instruction, taken (r2 == 3: BEQ) and not taken (BNE). */
Test(cycles, m4_conditional_branch_to_the_next_instruction_is_charged_as_taken_or_not)
{
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "beq_next_taken"), 1 + 3);
    cr_expect_eq(snippet_cycles("cortex-m4", "m4", "bne_next_not_taken"), 1 + 1);
}

/* DDI 0432C Table 3-1 "B 3" (taken) and M0+ "taken branch 2", also to the next instruction. */
Test(cycles, m0_and_m0plus_taken_branch_to_the_next_instruction_costs_one_plus_p)
{
    cr_expect_eq(snippet_cycles("cortex-m0", "m0", "branch_next"), 3);
    cr_expect_eq(snippet_cycles("cortex-m0plus", "m0plus", "branch_next"), 2);
}
