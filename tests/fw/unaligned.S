/* unaligned.S: one data access per build (-DACCESS_<name>) at an address that is not a multiple
 * of its size, for the ARMv6-M alignment-fault tests (test_align.c). The access sits at symbol
 * fault_pc; main (called by crt0.S) returns 0 when it does not fault. Variants:
 *   ldr, ldrh, str, strh, ldm: word/halfword/multiple accesses at buf + 1 or buf + 2 (fault
 *     on ARMv6-M; an M4 accepts the single ones);
 *   ldrb: a byte access at buf + 1 (never faults);
 *   ldr_flash: a word load from flash at table + 2;
 *   loop: word loads walking buf by 2 bytes in a loop that repeats right after itself: the
 *     second iteration (buf + 2) faults. */
    .syntax unified
    .thumb
    .text
    .thumb_func
    .global main
    .global fault_pc
    .global buf
main:
    push {r4, lr}
    ldr r4, =buf
    movs r0, #0
    movs r1, #0
#if defined(ACCESS_ldr)
    adds r4, #1
fault_pc:
    ldr r0, [r4]
#elif defined(ACCESS_ldrh)
    adds r4, #1
fault_pc:
    ldrh r0, [r4]
#elif defined(ACCESS_str)
    adds r4, #2
fault_pc:
    str r0, [r4]
#elif defined(ACCESS_strh)
    adds r4, #3
fault_pc:
    strh r0, [r4]
#elif defined(ACCESS_ldm)
    adds r4, #2
fault_pc:
    ldm r4!, {r0, r1}
#elif defined(ACCESS_ldrb)
    adds r4, #1
fault_pc:
    ldrb r0, [r4]
#elif defined(ACCESS_ldr_flash)
    ldr r4, =table + 2
fault_pc:
    ldr r0, [r4]
#elif defined(ACCESS_loop)
    movs r2, #8
1:
fault_pc:
    ldr r0, [r4]
    adds r4, #2
    subs r2, #1
    bne 1b
#else
#error "unknown ACCESS_ name"
#endif
    movs r0, #0
    pop {r4, pc}
    .align 2
table:
    .word 0x11223344, 0x55667788
    .ltorg

    .bss
    .align 4
buf:
    .space 64
