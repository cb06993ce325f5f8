/* loads.S: flash loads in every addressing form the load accounting distinguishes, for the
 * test that the hook-free accounting (core.c replay of decoded loads) and exact_mem's memory
 * hooks see the same flash reads. main is called by crt0.S; returns 0. Forms: post/pre-index
 * with writeback, negative offsets, LDRD, LDM/LDMDB with and without writeback, register
 * offsets, TBB/TBH, VLDR/VLDM (S and D), IT-conditional loads, pointer chasing, an address from
 * a multiply, unaligned loads across a 1 KB page, MOVW/MOVT, LDREX, literal pools, and pointers
 * loaded in the block (from the stack or flash, by LDR or LDRD) used as base or index, before
 * and after a store that changes them, a pointer read from the system control space, an
 * exit-form base copied to another register before being overwritten, and an IT block split
 * by a page boundary. */
    .syntax unified
    .thumb
    .text
    .thumb_func
    .global main
main:
    push {r4-r11, lr}
    movs r11, #0
    movs r10, #6
outer:
    /* 1: byte/halfword walks, post-index and pre-index writeback, negative offset */
    ldr r1, =tab
    subs r2, r1, #2
    movs r4, #0
1:  ldrb r0, [r1], #1
    ldrh r3, [r2, #2]!
    ldrb r5, [r1, #-3]
    add r11, r0
    add r11, r3
    add r11, r5
    adds r4, #1
    cmp r4, #200
    blt 1b
    /* 2: LDRD and LDM forms */
    ldr r0, =tab
    movs r4, #0
2:  ldrd r5, r6, [r0], #8
    ldm r0!, {r1, r2, r3}
    ldrd r7, r8, [r0, #8]!
    ldm r0, {r1, r2}
    add r11, r5
    add r11, r1
    adds r0, #8
    adds r4, #1
    cmp r4, #18
    blt 2b
    ldmdb r0!, {r1, r2}
    ldmdb r0, {r3, r5}
    add r11, r3
    /* 3: register offsets */
    ldr r1, =tab
    movs r2, #0
3:  ldr r0, [r1, r2, lsl #2]
    ldrh r3, [r1, r2]
    add r11, r0
    add r11, r3
    adds r2, #3
    cmp r2, #200
    blt 3b
    /* 4: table branches (the tables are flash reads) */
    movs r4, #0
4:  and r0, r4, #3
    tbb [pc, r0]
tb1:
    .byte (c0 - tb1) / 2, (c1 - tb1) / 2, (c2 - tb1) / 2, (c3 - tb1) / 2
c0: adds r11, #1
    b 5f
c1: adds r11, #2
    b 5f
c2: adds r11, #3
    b 5f
c3: adds r11, #4
5:  and r0, r4, #1
    tbh [pc, r0, lsl #1]
th1:
    .hword (d0 - th1) / 2, (d1 - th1) / 2
d0: adds r11, #5
    b 6f
d1: adds r11, #6
6:  adds r4, #1
    cmp r4, #30
    blt 4b
    /* 5: FP loads */
    ldr r1, =tab
    movs r4, #0
7:  vldr s0, [r1, #4]
    vldmia r1!, {s1-s4}
    vldr d3, [r1, #8]
    vldmia r1!, {d4-d5}
    vldmdb r1!, {s5-s6}
    adds r4, #1
    cmp r4, #16
    blt 7b
    /* 6: conditional loads */
    ldr r1, =tab
    movs r4, #0
8:  cmp r4, #5
    ite lt
    ldrlt r0, [r1, #64]
    ldrbge r0, [r1, #300]
    add r11, r0
    adds r1, #4
    adds r4, #1
    cmp r4, #12
    blt 8b
    /* 7: pointer chasing through a list in flash */
    ldr r1, =list
9:  ldr r0, [r1, #4]
    add r11, r0
    ldr r1, [r1]
    cmp r1, #0
    bne 9b
    /* 8: addresses from a multiply */
    ldr r6, =tab
    movs r2, #0
10: movs r3, #12
    mul r3, r2, r3
    ldr r0, [r6, r3]
    add r11, r0
    adds r2, #1
    cmp r2, #40
    blt 10b
    /* 9: unaligned word/halfword loads walking the table: some cross a 1 KB page, which
     * Unicorn splits into two aligned accesses (three read-hook calls) */
    ldr r1, =tab
    movs r4, #0
11: ldr r0, [r1], #3
    ldrh r3, [r1, #1]
    add r11, r0
    add r11, r3
    adds r4, #1
    cmp r4, #340
    blt 11b
    /* 10: MOVW/MOVT address, exclusive load */
    movw r1, #:lower16:tab
    movt r1, #:upper16:tab
    ldr r0, [r1, #12]
    ldrex r3, [r1]
    clrex
    add r11, r0
    /* 11: pointers loaded in the block: from the stack (spill reloads) and from flash */
    sub sp, #16
    ldr r1, =tab
    str r1, [sp, #4]
    ldr r1, =offs
    str r1, [sp, #8]
    ldr r8, =offs
    movs r4, #0
12: ldr r0, [r8], #4        /* index: a word loaded from flash */
    ldr r2, [sp, #4]        /* base: a pointer reloaded from the stack */
    ldrb r5, [r2, r0]       /* both terms loaded in the block; no store: a repeating run */
    add r11, r5
    adds r4, #1
    cmp r4, #40
    blt 12b
    add r3, sp, #4
    movs r4, #0
13: ldrd r5, r6, [r3]       /* two pointers at once */
    adds r5, #100           /* pointer + constant */
    ldr r7, [r6, #8]
    ldrh r0, [r5, r4]
    str r0, [sp, #12]       /* a store after the pointer loads */
    ldrb r1, [r5, #3]
    add r11, r0
    add r11, r1
    add r11, r7
    adds r4, #2
    cmp r4, #40
    blt 13b
    movs r4, #0
14: ldr r1, [sp, #4]        /* tab */
    add r2, r1, #600
    str r2, [sp, #4]
    ldr r3, [sp, #4]        /* reloaded after the store: tab + 600, not what the block found */
    ldrb r0, [r3, r4]
    movs r3, #0             /* (and gone at block exit) */
    str r1, [sp, #4]
    ldrb r5, [r1, r4]
    add r11, r0
    add r11, r5
    adds r4, #7
    cmp r4, #280
    blt 14b
    add sp, #16
    /* 12: a pointer read from the system control space (VTOR -> table, as RTOS start-up code
     * reads it): not one of the target's regions */
    ldr r0, =0xE000ED08
    ldr r1, =tab
    str r1, [r0]
    movs r4, #0
15: ldr r2, [r0]
    ldr r3, [r2, r4, lsl #2]
    add r11, r3
    adds r4, #1
    cmp r4, #64
    blt 15b
    /* 13: an exit-form base whose value was copied to another register before being
     * overwritten (the address is that register's exit value minus 4) */
    sub sp, #8
    ldr r1, =tab
    str r1, [sp]
    mov r1, sp
    movs r6, #0
16: str r4, [sp, #4]        /* a store first: the pointer below is not tracked from memory */
    ldr r2, [r1]
    ldrb r0, [r2, r6]
    add r5, r2, #4
    movs r2, #0
    add r11, r0
    adds r6, #9
    cmp r6, #288
    blt 16b
    add sp, #8
    /* 14: an IT block across a 1 KB page boundary, where Unicorn ends a translation block:
     * the second block starts with a conditional load, skipped on one pass of the loop */
    ldr r1, =tab
    movs r4, #0
    b 17f
    .balign 1024
    .skip 1020
17: cmp r4, #3
    it ne
    ldrbne r0, [r1, r4]
    add r11, r0
    adds r4, #1
    cmp r4, #8
    blt 17b
    subs r10, #1
    bne outer
    movs r0, #0
    pop {r4-r11, pc}
    .ltorg

    .section .rodata
    .align 4
tab:
    .set i, 0
    .rept 1024
    .byte (i * 37 + 11) & 255
    .set i, i + 1
    .endr
list:
    .word list + 8, 1, list + 16, 2, list + 24, 3, 0, 4
offs:
    .set j, 0
    .rept 48
    .word (j * 181 + 7) & 1023
    .set j, j + 1
    .endr
