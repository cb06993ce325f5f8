/* ldscript.c: `tinysim targets --ld NAME`: a minimal GNU ld linker script for a target's memory
 * map, so that a program built with arm-none-eabi-gcc runs under `tinysim exec` as it would on
 * the part. Layer: bench/ (prints). Layout (what exec expects, ARMv7-M ARM B1.5.3):
 *   the vector table (sections .isr_vector, .vectors) first in the first flash region: word 0
 *   initial SP, word 1 reset handler; then code, read-only data, unwind tables and the init/fini
 *   arrays of newlib's __libc_init_array, all in that flash region;
 *   .data (loaded in flash at _sidata, run in RAM at [_sdata, _edata): start-up code copies it),
 *   .bss ([_sbss, _ebss), also __bss_start__/__bss_end__ as newlib's crt0 names them) and the
 *   heap (from end/_end/__end__ up) in the largest RAM region, whose top is the initial stack
 *   (_estack, also __stack) -- the region where exec puts its default stack;
 *   every other non-device region is in MEMORY too, for sections a program places there.
 * Entry point Reset_Handler (newlib's _start when the program defines no Reset_Handler). */
#include "ldscript.h"

#include <string.h>


/* The first flash region and the largest RAM region (first on a tie); NULL when absent. */
static void pick_regions(const ts_target *t, const ts_target_region **flash,
                         const ts_target_region **ram)
{
    *flash = *ram = NULL;
    for (unsigned i = 0; i < t->n_regions; i++) {
        const ts_target_region *r = &t->regions[i];

        if (r->kind == TS_MEM_FLASH && !*flash)
            *flash = r;
        if ((r->kind == TS_MEM_SRAM || r->kind == TS_MEM_TCM) &&
            (!*ram || r->size_bytes > (*ram)->size_bytes))
            *ram = r;
    }
}

static void print_memory(FILE *f, const ts_target *t)
{
    fprintf(f, "MEMORY\n{\n");
    for (unsigned i = 0; i < t->n_regions; i++) {
        const ts_target_region *r = &t->regions[i];

        if (r->kind == TS_MEM_MMIO)
            continue;
        fprintf(f, "  %-12s (%s) : ORIGIN = 0x%08llx, LENGTH = 0x%08llx  /* %llu KB, %s */\n",
                r->name, r->kind == TS_MEM_FLASH ? "rx " : "rwx", (unsigned long long)r->base,
                (unsigned long long)r->size_bytes, (unsigned long long)(r->size_bytes / 1024),
                r->kind == TS_MEM_FLASH ? "flash" : r->kind == TS_MEM_TCM ? "tcm" : "sram");
    }
    fprintf(f, "}\n\n");
}

/* Sections of code and read-only data, all in flash region fl. */
static void print_flash_sections(FILE *f, const char *fl)
{
    fprintf(f,
            "  .isr_vector :\n  {\n    . = ALIGN(4);\n    KEEP(*(.isr_vector))\n"
            "    KEEP(*(.vectors))\n    . = ALIGN(4);\n  } > %s\n\n", fl);
    fprintf(f,
            "  .text :\n  {\n    *(.text .text.*)\n    *(.glue_7) *(.glue_7t) *(.eh_frame)\n"
            "    KEEP(*(.init))\n    KEEP(*(.fini))\n    . = ALIGN(4);\n  } > %s\n\n"
            "  .rodata :\n  {\n    *(.rodata .rodata.*)\n    . = ALIGN(4);\n  } > %s\n\n",
            fl, fl);
    fprintf(f,
            "  .ARM.extab : { *(.ARM.extab* .gnu.linkonce.armextab.*) } > %s\n"
            "  .ARM.exidx :\n  {\n    __exidx_start = .;\n"
            "    *(.ARM.exidx* .gnu.linkonce.armexidx.*)\n    __exidx_end = .;\n  } > %s\n\n",
            fl, fl);
    fprintf(f,
            "  .preinit_array :\n  {\n    PROVIDE_HIDDEN(__preinit_array_start = .);\n"
            "    KEEP(*(.preinit_array*))\n    PROVIDE_HIDDEN(__preinit_array_end = .);\n"
            "  } > %s\n"
            "  .init_array :\n  {\n    PROVIDE_HIDDEN(__init_array_start = .);\n"
            "    KEEP(*(SORT(.init_array.*)))\n    KEEP(*(.init_array*))\n"
            "    PROVIDE_HIDDEN(__init_array_end = .);\n  } > %s\n"
            "  .fini_array :\n  {\n    PROVIDE_HIDDEN(__fini_array_start = .);\n"
            "    KEEP(*(SORT(.fini_array.*)))\n    KEEP(*(.fini_array*))\n"
            "    PROVIDE_HIDDEN(__fini_array_end = .);\n  } > %s\n\n",
            fl, fl, fl);
}

/* .data (copied from flash region fl by start-up code), .bss and the heap start in ram. */
static void print_ram_sections(FILE *f, const char *fl, const char *ram)
{
    fprintf(f,
            "  _sidata = LOADADDR(.data);\n"
            "  .data :\n  {\n    . = ALIGN(4);\n    _sdata = .;\n    *(.data .data.*)\n"
            "    . = ALIGN(4);\n    _edata = .;\n  } > %s AT > %s\n\n", ram, fl);
    fprintf(f,
            "  .bss :\n  {\n    . = ALIGN(4);\n    _sbss = .;\n    __bss_start__ = _sbss;\n"
            "    *(.bss .bss.*)\n    *(COMMON)\n    . = ALIGN(4);\n    _ebss = .;\n"
            "    __bss_end__ = _ebss;\n  } > %s\n\n", ram);
    fprintf(f,
            "  . = ALIGN(8);\n  PROVIDE(end = .);\n  PROVIDE(_end = .);\n"
            "  PROVIDE(__end__ = .);\n");
}

int ld_script_print(FILE *f, const ts_target *t, const char *source)
{
    const ts_target_region *fl, *ram;
    const char *file = strrchr(source, '/') ? strrchr(source, '/') + 1 : source;

    pick_regions(t, &fl, &ram);
    if (!fl || !ram)
        return -1;
    fprintf(f,
            "/* GNU ld script for the tinysim target %s, written by `tinysim targets --ld %s`\n"
            " * from %s: %s.\n"
            " * Vector table (.isr_vector or .vectors) first in %s: word 0 initial SP (_estack),\n"
            " * word 1 reset handler. Code and read-only data in %s; .data, .bss, heap and stack\n"
            " * in %s. Start-up code copies .data from _sidata to [_sdata, _edata) and zeroes\n"
            " * [_sbss, _ebss) (newlib: __bss_start__, __bss_end__; heap from end). */\n\n",
            t->name, t->name, file, t->description, fl->name, fl->name, ram->name);
    print_memory(f, t);
    fprintf(f,
            "ENTRY(Reset_Handler)\nPROVIDE(Reset_Handler = _start);\n"
            "_estack = ORIGIN(%s) + LENGTH(%s);\nPROVIDE(__stack = _estack);\n\nSECTIONS\n{\n",
            ram->name, ram->name);
    print_flash_sections(f, fl->name);
    print_ram_sections(f, fl->name, ram->name);
    fprintf(f, "}\n");
    return 0;
}
