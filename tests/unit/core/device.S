/* device.S: a driver's offload sequence against a memory-mapped device at DEV_BASE, for the
 * device tests (test_device.c): with interrupts masked, write 42 to the doorbell (offset 0),
 * then NOPS no-ops in the same block, then sleep in WFI until the status register (offset 4)
 * says done (bit 0), and return the result register (offset 8) as the exit code. Built with
 * NOPS=0 and NOPS=8: the device must see the same start cycle in both (the rest of the block
 * after the doorbell has not run yet). */
    .syntax unified
    .thumb
    .text
    .thumb_func
    .global main
main:
    cpsid i
    ldr r1, =0x50000000
    movs r0, #42
    str r0, [r1]
    .rept NOPS
    nop
    .endr
1:  ldr r2, [r1, #4]
    lsls r2, r2, #31
    bne 2f
    wfi
    b 1b
2:  ldr r0, [r1, #8]
    bx lr
    .ltorg
