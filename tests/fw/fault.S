/* fault.S: loads from an address no target maps (0x40000000, a peripheral window), for the
 * fault-report test; the load sits at symbol fault_pc. */
    .syntax unified
    .thumb
    .section .vectors, "a"
    .word __stack_top
    .word _start
    .text
    .thumb_func
    .global _start
    .global fault_pc
_start:
    ldr r0, =0x40000000
fault_pc:
    ldr r1, [r0]
    movs r0, #0x18
    ldr r1, =0x20026
    bkpt 0xab
    .ltorg
