/* test_device.c: memory-mapped devices on the core (ts_core_attach_device): the device sees a
 * doorbell write at the exact cycle of the store (not counting the rest of the block), a
 * sleeping WFI wakes at the device's event and the sleep is charged as wait cycles, a device
 * fault and a WFI with nothing pending stop the run with one message. Firmware: device.S. */
#include <string.h>

#include "core_test.h"

typedef struct test_dev {
    ts_core *core;
    uint64_t start, done_at; /* cycles: doorbell, end of the modelled work */
    uint32_t value;
    int n_status_reads;
    bool started, fail, deaf;
} test_dev;

#define WORK_CYCLES 1000u

static uint32_t dev_read(void *opaque, uint32_t off, unsigned size)
{
    test_dev *d = opaque;

    (void)size;
    if (off == 4) {
        d->n_status_reads++;
        return d->started && ts_core_now(d->core) >= d->done_at;
    }
    return off == 8 ? d->value + 1 : 0;
}

static void dev_write(void *opaque, uint32_t off, unsigned size, uint32_t v)
{
    test_dev *d = opaque;

    (void)size;
    if (off != 0 || d->deaf)
        return;
    if (d->fail) {
        ts_core_device_fault(d->core, "test device: descriptor rejected");
        return;
    }
    d->value = v;
    d->start = ts_core_now(d->core);
    d->done_at = d->start + WORK_CYCLES;
    d->started = true;
}

static uint64_t dev_event(void *opaque)
{
    const test_dev *d = opaque;

    return d->started ? d->done_at : UINT64_MAX;
}

/* Runs device_<nops>.elf on an M4 (zero wait states) with an mmio region at 0x50000000 holding
 * test device d (or none). Returns the run's status; *s gets the stats. */
static ts_status run_device(const char *fw, test_dev *d, ts_core_stats *s, ts_err *err)
{
    ts_target t = load_target("cortex-m4", true);
    ts_target_region *r = &t.regions[t.n_regions++];
    ts_core_device dev = {dev_read, dev_write, dev_event, d};
    char path[512];
    ts_core *c = NULL;
    ts_elf *elf = NULL;
    uint32_t entry;
    ts_status st;

    memset(r, 0, sizeof *r);
    strcpy(r->name, "dev");
    r->kind = TS_MEM_MMIO, r->base = 0x50000000u, r->size_bytes = 4096, r->width_bits = 32;
    r->line_bytes = 16;
    fw_path(path, sizeof path, fw);
    cr_assert_eq(ts_elf_load(path, &elf, err), TS_OK, "%s", err->msg);
    cr_assert_eq(ts_core_open(&t, NULL, &c, err), TS_OK, "%s", err->msg);
    cr_assert_eq(ts_exec_load(c, elf, &entry, err), TS_OK, "%s", err->msg);
    if (d) {
        d->core = c;
        cr_assert_eq(ts_core_attach_device(c, t.n_regions - 1, &dev, err), TS_OK, "%s",
                     err->msg);
    }
    st = ts_core_run(c, entry, err);
    *s = *ts_core_get_stats(c);
    ts_core_close(c);
    ts_elf_free(elf);
    return st;
}

Test(device, doorbell_sees_the_cycle_of_the_store_and_wfi_sleeps_until_the_device_is_done)
{
    test_dev d0 = {0}, d8 = {0};
    ts_core_stats s0, s8;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(run_device("device_0", &d0, &s0, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(run_device("device_8", &d8, &s8, &err), TS_OK, "%s", err.msg);
    cr_assert_eq(s0.exit_code, 43, "the result register passes the doorbell value + 1");
    /* eight NOPs after the store in the same block run after the doorbell: same start */
    cr_assert_gt(d0.start, 0);
    cr_assert_eq(d0.start, d8.start, "start %llu vs %llu", (unsigned long long)d0.start,
                 (unsigned long long)d8.start);
    /* the NOPs (1 cycle each, ARM DDI 0439D table 3-1) overlap the device's work: same end */
    cr_assert_eq(s0.cycles, s8.cycles, "%llu vs %llu", (unsigned long long)s0.cycles,
                 (unsigned long long)s8.cycles);
    /* one status read before the WFI, one after waking */
    cr_assert_eq(d0.n_status_reads, 2);
    cr_assert_gt(s0.wait_cycles, 0);
    cr_assert_leq(s0.wait_cycles, WORK_CYCLES + 2);
    cr_assert_geq(s0.cycles, d0.done_at + 2, "the core resumes after the device is done");
}

Test(device, a_device_fault_stops_the_run_with_its_message)
{
    test_dev d = {0};
    ts_core_stats s;
    ts_err err;

    d.fail = true;
    ts_err_clear(&err);
    cr_assert_eq(run_device("device_0", &d, &s, &err), TS_ERR_EMU);
    cr_assert(strstr(err.msg, "test device: descriptor rejected"), "%s", err.msg);
    cr_assert(strstr(err.msg, ": pc 0x080"), "%s", err.msg);
}

Test(device, wfi_with_no_device_event_is_a_fault_not_a_hang)
{
    test_dev d = {0};
    ts_core_stats s;
    ts_err err;

    d.deaf = true; /* ignores the doorbell: status stays 0 and no event comes */
    ts_err_clear(&err);
    cr_assert_eq(run_device("device_0", &d, &s, &err), TS_ERR_EMU);
    cr_assert(strstr(err.msg, "WFI with no device event pending"), "%s", err.msg);
}

Test(device, an_mmio_region_without_a_device_faults_as_unmapped)
{
    ts_core_stats s;
    ts_err err;

    ts_err_clear(&err);
    cr_assert_eq(run_device("device_0", NULL, &s, &err), TS_ERR_EMU);
    cr_assert(strstr(err.msg, "0x50000000"), "%s", err.msg);
}
