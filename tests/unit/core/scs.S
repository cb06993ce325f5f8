/* scs.S: the DWT cycle counter and SysTick as a benchmark port uses them, for test_scs.c.
 * Thumb-1 only (runs on ARMv6-M and ARMv7-M). main (called by crt0.S) stores what it reads in
 * `results` (words) and returns 0:
 *   [0] CYCCNT after CYCCNTENA is set but DEMCR.TRCENA is not (not counting: 0)
 *   [1] CYCCNT difference across 8 NOPs and the second read's LDR
 *   [2] CYCCNT difference across `b 1f; 1:` and the second read's LDR
 *   [3] CYCCNT read right after writing 1000 to it
 *   [4] CYCCNT difference across 4 NOPs after CYCCNTENA is cleared (stopped: 0)
 *   [5] DWT_CTRL as read
 *   [6] SysTick CURRENT 10 NOPs and an LDR after enabling with RELOAD 99 and CURRENT cleared
 *   [7] SYST_CSR then (COUNTFLAG clear), [8] SYST_CSR after a loop of more than 100 cycles
 *       (COUNTFLAG set), [9] SYST_CSR read again (COUNTFLAG cleared by the read)
 *   [10] SYST_CSR after a write to CURRENT that follows another wrap (COUNTFLAG cleared)
 *   [11] SYST_CALIB
 *   [12] CURRENT after disabling and 20 NOPs minus CURRENT right after disabling (0: stopped)
 *   [13] CYCCNT difference across a WFI (PRIMASK set) after enabling SysTick with TICKINT,
 *        RELOAD 999 and CURRENT cleared: it wakes at the count to 0, 1000 cycles after enabling
 * The CPU cost between two reads is the TRM's: NOP 1, LDR 2 (M4: DDI 0439D Table 3-1), B 1+P. */
    .syntax unified
    .thumb
    .text
    .thumb_func
    .global main
    .global results
main:
    push {r4-r7, lr}
    ldr r7, =results
    ldr r1, =0xE0001004     /* DWT_CYCCNT */
    ldr r3, =0xE0001000     /* DWT_CTRL */
    ldr r2, =0xE000EDFC     /* DEMCR */
    movs r0, #1
    str r0, [r3]            /* CYCCNTENA, TRCENA still 0 */
    nop
    nop
    ldr r0, [r1]
    str r0, [r7, #0]
    ldr r0, =0x01000000     /* TRCENA */
    str r0, [r2]
    ldr r4, [r1]
    .rept 8
    nop
    .endr
    ldr r5, [r1]
    subs r0, r5, r4
    str r0, [r7, #4]
    ldr r4, [r1]
    b 1f
1:  ldr r5, [r1]
    subs r0, r5, r4
    str r0, [r7, #8]
    ldr r6, =1000
    str r6, [r1]
    ldr r5, [r1]
    str r5, [r7, #12]
    ldr r0, [r3]
    str r0, [r7, #20]
    movs r0, #0
    str r0, [r3]            /* CYCCNTENA = 0 */
    ldr r4, [r1]
    nop
    nop
    nop
    nop
    ldr r5, [r1]
    subs r0, r5, r4
    str r0, [r7, #16]
    /* SysTick */
    ldr r1, =0xE000E010     /* SYST_CSR */
    movs r0, #99
    str r0, [r1, #4]        /* RELOAD */
    str r0, [r1, #8]        /* any write clears CURRENT */
    movs r0, #5             /* ENABLE | CLKSOURCE */
    str r0, [r1]
    .rept 10
    nop
    .endr
    ldr r2, [r1, #8]
    str r2, [r7, #24]
    ldr r2, [r1]
    str r2, [r7, #28]
    movs r4, #60
2:  subs r4, #1
    bne 2b
    ldr r2, [r1]
    str r2, [r7, #32]
    ldr r2, [r1]
    str r2, [r7, #36]
    movs r4, #60
3:  subs r4, #1
    bne 3b
    str r4, [r1, #8]        /* clears CURRENT and COUNTFLAG */
    ldr r2, [r1]
    str r2, [r7, #40]
    ldr r2, [r1, #12]
    str r2, [r7, #44]
    movs r0, #0
    str r0, [r1]            /* disable */
    ldr r4, [r1, #8]
    .rept 20
    nop
    .endr
    ldr r5, [r1, #8]
    subs r0, r5, r4
    str r0, [r7, #48]
    /* WFI with interrupts masked wakes at SysTick's next count to 0 (TICKINT set) */
    cpsid i
    movs r0, #1
    str r0, [r3]            /* CYCCNTENA again */
    ldr r0, =999
    str r0, [r1, #4]
    str r0, [r1, #8]
    movs r0, #7             /* ENABLE | TICKINT | CLKSOURCE */
    str r0, [r1]
    ldr r4, [r3, #4]
    wfi
    ldr r5, [r3, #4]
    subs r0, r5, r4
    str r0, [r7, #52]
    movs r0, #0
    str r0, [r1]
    pop {r4-r7, pc}
    .ltorg

    .bss
    .align 2
results:
    .space 64
