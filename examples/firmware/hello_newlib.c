/* hello_newlib.c: newlib's printf under `tinysim exec`, through semihosting (librdimon). Only
 * the vector table and the copy of .data are the program's: newlib's start-up code (_start,
 * from --specs=rdimon.specs) zeroes .bss, sets up the heap, runs main and exits through
 * semihosting, but expects .data already in RAM, as a debugger would load it.
 *
 *   tinysim targets --ld cortex-m4 > cortex-m4.ld
 *   arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 --specs=rdimon.specs -T cortex-m4.ld \
 *       -o hello_newlib.elf hello_newlib.c
 *   tinysim exec --target cortex-m4 hello_newlib.elf */
#include <stdint.h>
#include <stdio.h>

extern uint32_t _estack, _sidata, _sdata, _edata; /* from the linker script */
void Reset_Handler(void);
void _start(void);

__attribute__((section(".isr_vector"), used)) static void *const vectors[2] = {
    &_estack, (void *)Reset_Handler};

void Reset_Handler(void)
{
    uint32_t *src = &_sidata, *dst = &_sdata;

    while (dst < &_edata)
        *dst++ = *src++;
    _start();
}

int main(void)
{
    printf("hello from newlib: %d + %d = %d\n", 40, 2, 40 + 2);
    return 0;
}
