/* crt0.S: start-up for the C test firmware: vector table, copy .data, zero .bss, call main,
 * then SYS_EXIT_EXTENDED (semihosting) with main's return value as the exit code.
 * -DINITIAL_SP=ADDR puts ADDR in the vector table instead of __stack_top; -DMOVE_SP then moves
 * the stack to __stack_top first thing, in a block of its own with no data access.
 * -DRETURN_FROM_RESET: the reset handler returns after main (to LR's reset value, at symbol
 * ret_pc) instead of calling SYS_EXIT. */
    .syntax unified
    .thumb
    .section .vectors, "a"
#ifdef INITIAL_SP
    .word INITIAL_SP
#else
    .word __stack_top
#endif
    .word _start

    .text
    .thumb_func
    .global _start
_start:
#ifdef RETURN_FROM_RESET
    push {r4, lr}
#endif
#ifdef MOVE_SP
    ldr r0, =__stack_top
    b 6f
6:  mov sp, r0
    b 7f
7:
#endif
    ldr r0, =__data_load
    ldr r1, =__data_start
    ldr r2, =__data_end
1:  cmp r1, r2
    bhs 2f
    ldr r3, [r0]
    str r3, [r1]
    adds r0, r0, #4
    adds r1, r1, #4
    b 1b
2:  ldr r1, =__bss_start
    ldr r2, =__bss_end
    movs r3, #0
3:  cmp r1, r2
    bhs 4f
    str r3, [r1]
    adds r1, r1, #4
    b 3b
4:  bl main
#ifdef RETURN_FROM_RESET
    .global ret_pc
ret_pc:
    pop {r4, pc}
#endif
    sub sp, sp, #8
    ldr r1, =0x20026        /* ADP_Stopped_ApplicationExit */
    str r1, [sp]
    str r0, [sp, #4]        /* exit code */
    mov r1, sp
    movs r0, #0x20          /* SYS_EXIT_EXTENDED */
    bkpt 0xab
5:  b 5b
    .ltorg
