/* ram_regions.S: data traffic in several RAM regions of the Cortex-M7 target (itcm 0x00000000,
 * dtcm 0x20000000, axisram 0x24000000), for the test that each load and store is charged to
 * the region holding its address, as exact_mem's memory hooks charge it. The stack starts in
 * the firmware's RAM (RAM_ORIGIN: dtcm or axisram), data lives at DATA (the other region),
 * and half-way the program moves its stack to MOVED_SP (again another region). Forms: STR/STRB/
 * STRH with offsets and writeback, STRD, STM/STMDB, PUSH/POP, VSTR/VPUSH (S and D), LDREX,
 * IT-conditional stores (executed and skipped), stores through a pointer loaded in the block,
 * unaligned stores across a 1 KB page, stores to the system control space, and a loop of
 * stores and loads that repeats right after itself. main is called by crt0.S; returns 0. */
    .syntax unified
    .thumb
    .text
    .thumb_func
    .global main
main:
    push {r4-r11, lr}
    vpush {d8}
    ldr r0, =DATA
    movs r1, #0
    movs r4, #0
    /* 1: a store/load loop over DATA (repeats right after itself: deferred accounting) */
1:  str r4, [r0, r4, lsl #2]
    strb r4, [r0, #1024]
    ldr r2, [r0, r4, lsl #2]
    add r1, r2
    adds r4, #1
    cmp r4, #100
    blt 1b
    /* 2: writeback forms, STRD, STM/STMDB, halfwords, negative offsets */
    add r3, r0, #2048
    movs r4, #0
2:  str r1, [r3], #4
    strh r1, [r3, #2]!
    strd r1, r4, [r3, #8]!
    stm r3!, {r1, r2, r4}
    stmdb r3, {r1, r2}
    strb r4, [r3, #-5]
    ldm r3, {r5, r6}
    ldrd r5, r6, [r3, #-8]
    adds r4, #1
    cmp r4, #20
    blt 2b
    /* 3: floating-point stores, exclusive load (no STREX: Unicorn emulates it as a
     * compare-and-swap, and exact_mem's hooks see a read the hardware does not make) */
    add r3, r0, #3072
    vmov s0, r1
    vstr s0, [r3]
    vstr d0, [r3, #8]
    vstm r3!, {s0-s3}
    vldr d1, [r3, #-8]
    ldrex r5, [r3]
    /* 4: IT-conditional stores, taken and not taken */
    movs r4, #0
4:  cmp r4, #3
    ite lt
    strlt r4, [r0, #16]
    strge r4, [r0, #20]
    it eq
    streq r1, [r0, #24]
    adds r4, #1
    cmp r4, #8
    blt 4b
    /* 5: a pointer stored in DATA, loaded back, then stored through (twice in the block) */
    add r3, r0, #512
    str r3, [r0, #40]
    ldr r5, [r0, #40]
    str r1, [r5, #4]
    ldr r6, [r5, #4]
    str r6, [r5, #8]
    /* 6: unaligned stores and loads across the 1 KB page at DATA + 0x1400 */
    add r3, r0, #0x1400
    subs r3, #3
    str r1, [r3]
    strh r1, [r3, #2]
    ldr r5, [r3]
    ldrh r6, [r3, #2]
    /* 7: a store to the system control space (no region: not counted) */
    ldr r3, =0xE000ED08
    ldr r5, [r3]
    str r5, [r3]
    /* 8: the stack moves to MOVED_SP: calls, pushes and pops there, then back */
    mov r7, sp
    ldr r3, =MOVED_SP
    mov sp, r3
    movs r4, #0
8:  push {r0-r3}
    bl leaf
    pop {r0-r3}
    adds r4, #1
    cmp r4, #5
    blt 8b
    mov sp, r7
    bl leaf
    movs r0, #0
    vpop {d8}
    pop {r4-r11, pc}
    .ltorg

    .thumb_func
leaf:
    push {r4, r5, lr}
    sub sp, sp, #16
    str r0, [sp, #4]
    strb r1, [sp, #9]
    ldr r4, [sp, #4]
    add sp, sp, #16
    pop {r4, r5, pc}
