/* Table tests for sim/target/opclass.def and dynamic.def (Spike check-opcode-overlap idea): no
 * Capstone id in two rows, unique class names, every row has a note, and a decode sample of
 * common instructions lands in the expected class. */
#include <capstone/capstone.h>
#include <string.h>

#include "core_test.h"
#include "sim/target/opclass.h"

#define IDS(...) __VA_ARGS__
typedef struct row {
    const char *name;
    const unsigned *ids;
    size_t n;
    const char *note;
} row;
#define OPCLASS(name, ids, note) static const unsigned ids_##name[] = {ids};
#include "sim/target/opclass.def"
#undef OPCLASS
static const row rows[] = {
#define OPCLASS(name, ids, note) {#name, ids_##name, sizeof ids_##name / sizeof(unsigned), note},
#include "sim/target/opclass.def"
#undef OPCLASS
};
#define N_ROWS (sizeof rows / sizeof rows[0])

Test(opclass, no_capstone_id_appears_in_two_rows)
{
    for (size_t i = 0; i < N_ROWS; i++)
        for (size_t j = 0; j < rows[i].n; j++)
            for (size_t k = i; k < N_ROWS; k++)
                for (size_t l = (k == i ? j + 1 : 0); l < rows[k].n; l++)
                    cr_expect(rows[i].ids[j] == ARM_INS_INVALID || rows[i].ids[j] != rows[k].ids[l],
                              "id %u in %s and %s", rows[i].ids[j], rows[i].name, rows[k].name);
}

Test(opclass, names_are_unique_and_every_row_has_a_note)
{
    cr_expect_eq(N_ROWS, TS_N_OPCLASS);
    cr_expect(TS_N_OPCLASS <= 64, "class sets are 64-bit masks");
    for (size_t i = 0; i < N_ROWS; i++) {
        cr_expect(strlen(rows[i].note) > 10, "%s", rows[i].name);
        cr_expect_eq(ts_opclass_find(rows[i].name), (ts_opclass)i);
        cr_expect_str_eq(ts_opclass_name((ts_opclass)i), rows[i].name);
    }
    cr_expect_eq(ts_opclass_find("no_such_class"), TS_N_OPCLASS);
}

/* Every target JSON loads and gives a cost (or null, for instructions the core lacks) to every
 * op class; cores with an FPU cost every FP class. */
Test(opclass, every_target_costs_every_op_class)
{
    static const char *const names[] = {"cortex-m0plus", "cortex-m0", "cortex-m3", "cortex-m4",
                                        "cortex-m7", "cortex-m33"};

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ts_target t = load_target(names[i], false);

        cr_expect_str_eq(t.name, names[i]);
        cr_expect(t.cycles[TS_OP_alu].present && t.cycles[TS_OP_load].present &&
                      t.cycles[TS_OP_branch].present && t.cycles[TS_OP_unknown].present,
                  "%s", names[i]);
        for (int k = TS_OP_fp_alu; t.has_fpu && k <= TS_OP_fp_stm; k++)
            cr_expect(t.cycles[k].present, "%s: %s", names[i], ts_opclass_name((ts_opclass)k));
    }
}
