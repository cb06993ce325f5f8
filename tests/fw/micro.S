/* micro.S: cycle microbenchmarks for the core tests. Assembled once per benchmark with
 * -DBENCH_<name>; the test subtracts the cycles of the BENCH_none build, so the result is the
 * cost of the snippet alone. The snippet sits between two NOPs so that no pipelining rule links
 * it to the surrounding code. Registers on entry to the snippet: r0 = buf (SRAM, buf[0] = buf),
 * r1 = 1000, r2 = 3, r4 = 5; s1 = 1.0, s2 = 3.0 when an FPU is present. */
    .syntax unified
    .thumb

    .section .vectors, "a"
    .word __stack_top
    .word _start

    .text
    .thumb_func
    .global _start
_start:
    ldr r0, =buf
    str r0, [r0]
    ldr r1, =1000
    movs r2, #3
    movs r4, #5
#ifdef HAVE_FPU
    vmov.f32 s1, #1.0
    vmov.f32 s2, #3.0
#endif
    nop
#if defined(BENCH_ldr3)
    ldr r1, [r0]
    ldr r2, [r0, #4]
    ldr r3, [r0, #8]
#elif defined(BENCH_ldr_dep)
    ldr r1, [r0]
    ldr r2, [r1]
#elif defined(BENCH_agu)
    adds r3, r0, #4
    ldr r1, [r3]
#elif defined(BENCH_stm8)
    stm r0, {r1-r8}
#elif defined(BENCH_push4)
    push {r1-r4}
#elif defined(BENCH_branch)
    b 1f
    nop
1:
#elif defined(BENCH_bl)
    bl 1f
    nop
1:
#elif defined(BENCH_branch_next)
    b 1f
1:
#elif defined(BENCH_bl_next)
    bl 1f
1:
#elif defined(BENCH_beq_next_taken)
    cmp r2, #3
    beq 1f
1:
#elif defined(BENCH_bne_next_not_taken)
    cmp r2, #3
    bne 1f
1:
#elif defined(BENCH_vdiv)
    vdiv.f32 s0, s1, s2
#elif defined(BENCH_vadd_dep)
    vadd.f32 s0, s1, s2
    vadd.f32 s3, s0, s2
#elif defined(BENCH_udiv)
    udiv r3, r1, r2
#elif defined(BENCH_muls)
    muls r4, r2, r4
#elif !defined(BENCH_none)
#error "unknown BENCH_ name"
#endif
    nop
    movs r0, #0x18          /* SYS_EXIT */
    ldr r1, =0x20026        /* ADP_Stopped_ApplicationExit */
    bkpt 0xab
1:  b 1b
    .ltorg

    .bss
    .align 4
buf:
    .space 256
