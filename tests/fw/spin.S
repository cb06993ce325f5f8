/* spin.S: an infinite loop, for the instruction-budget test. */
    .syntax unified
    .thumb
    .section .vectors, "a"
    .word __stack_top
    .word _start
    .text
    .thumb_func
    .global _start
_start:
    movs r0, #0
1:  adds r0, r0, #1
    b 1b
