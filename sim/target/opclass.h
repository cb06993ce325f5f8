/* opclass.h: the op-class enum generated from opclass.def, and its name table.
 * Layer: sim/target (data only): the classes the per-core timing tables of targets/NAME.json are
 * keyed by; sim/core/decode.c maps Capstone ids to them. No Capstone or Unicorn types here. */
#ifndef TS_OPCLASS_H
#define TS_OPCLASS_H

typedef enum ts_opclass {
#define OPCLASS(name, ids, note) TS_OP_##name,
#include "opclass.def"
#undef OPCLASS
    TS_N_OPCLASS
} ts_opclass;

/* Name of a class as used in targets/NAME.json ("alu", "fp_div"...); NULL when out of range. */
const char *ts_opclass_name(ts_opclass c);

/* The class's note in opclass.def (the TRM rows it stands for); NULL when out of range. */
const char *ts_opclass_note(ts_opclass c);

/* The class called `name`, or TS_N_OPCLASS when there is none. */
ts_opclass ts_opclass_find(const char *name);

#endif
