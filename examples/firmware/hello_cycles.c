/* hello_cycles.c: a bare-metal program that runs under `tinysim exec` as on the part itself:
 * vector table and start-up code, semihosting output, and timing with the DWT cycle counter
 * (ARMv7-M, ARMv8-M Mainline) or SysTick (ARMv6-M, which has no CYCCNT). Build it with the
 * Debian toolchain (gcc-arm-none-eabi, libnewlib-arm-none-eabi) and the target's linker script:
 *
 *   tinysim targets --ld cortex-m4 > cortex-m4.ld
 *   arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -O2 -nostartfiles --specs=nano.specs \
 *       --specs=nosys.specs -T cortex-m4.ld -o hello_cycles.elf hello_cycles.c
 *   tinysim exec --target cortex-m4 hello_cycles.elf
 *
 * It prints a dot product and the cycles it took, and exits 0 when the sum is right (and
 * .data was copied and .bss zeroed). Register addresses: ARMv7-M ARM (DDI 0403E) C1.6.5 DEMCR,
 * C1.8.7 DWT_CTRL, C1.8.8 DWT_CYCCNT, B3.3 SysTick. */
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(addr))
#define DEMCR REG(0xE000EDFC)      /* bit 24 TRCENA: enables the DWT */
#define DWT_CTRL REG(0xE0001000)   /* bit 0 CYCCNTENA */
#define DWT_CYCCNT REG(0xE0001004) /* counts core cycles */
#define SYST_CSR REG(0xE000E010)   /* bit 0 ENABLE, bit 2 CLKSOURCE = core clock */
#define SYST_RVR REG(0xE000E014)   /* reload value, 24 bits */
#define SYST_CVR REG(0xE000E018)   /* current value, counts down */

#define N 256

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss; /* from the linker script */
void Reset_Handler(void);
int main(void);

/* Word 0: initial stack pointer; word 1: reset handler (Thumb bit set by the compiler). */
__attribute__((section(".isr_vector"), used)) static void *const vectors[2] = {
    &_estack, (void *)Reset_Handler};

/* Arm semihosting: BKPT 0xAB with the operation in r0 and its argument in r1. */
static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;

    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void put(const char *s)
{
    semihost(0x04, s); /* SYS_WRITE0 */
}

static void put_u32(uint32_t v)
{
    char buf[11], *p = buf + sizeof buf - 1;

    *p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while (v /= 10);
    put(p);
}

void Reset_Handler(void)
{
    uint32_t block[2] = {0x20026, 0}; /* ADP_Stopped_ApplicationExit, exit code */
    uint32_t *src = &_sidata, *dst = &_sdata;

    while (dst < &_edata)
        *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss; dst++)
        *dst = 0;
    block[1] = (uint32_t)main();
    semihost(0x20, block); /* SYS_EXIT_EXTENDED */
    for (;;)
        ;
}

#if defined(__ARM_ARCH_6M__)
static void timer_start(void)
{
    SYST_RVR = 0xFFFFFF;
    SYST_CVR = 0; /* any write clears it */
    SYST_CSR = 5; /* ENABLE | CLKSOURCE */
}

static uint32_t timer_now(void)
{
    return 0xFFFFFFu - SYST_CVR; /* counts up from 0 (runs shorter than 2^24 cycles) */
}
#else
static void timer_start(void)
{
    DEMCR |= 1u << 24;
    DWT_CYCCNT = 0;
    DWT_CTRL |= 1u;
}

static uint32_t timer_now(void)
{
    return DWT_CYCCNT;
}
#endif

static int16_t weight_scale = 3; /* .data: copied from flash by Reset_Handler */
static int16_t a[N], b[N];       /* .bss: zeroed by Reset_Handler */

int main(void)
{
    int32_t sum = 0;
    uint32_t t0, t1;

    for (int i = 0; i < N; i++) {
        a[i] = (int16_t)i;
        b[i] = (int16_t)(weight_scale * (i % 7));
    }
    put("hello from tinysim\n");
    timer_start();
    t0 = timer_now();
    for (int i = 0; i < N; i++)
        sum += a[i] * b[i];
    t1 = timer_now();
    put("dot product ");
    put_u32((uint32_t)sum);
    put(" in ");
    put_u32(t1 - t0);
    put(" cycles\n");
    return sum == 292236 ? 0 : 1;
}
