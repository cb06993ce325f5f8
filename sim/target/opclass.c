/* opclass.c: names of the op classes of opclass.def. Layer: sim/target (data only, no Capstone). */
#include "opclass.h"

#include <string.h>

static const char *const class_names[] = {
#define OPCLASS(name, ids, note) #name,
#include "opclass.def"
#undef OPCLASS
};

static const char *const class_notes[] = {
#define OPCLASS(name, ids, note) note,
#include "opclass.def"
#undef OPCLASS
};

const char *ts_opclass_note(ts_opclass c)
{
    return (unsigned)c < TS_N_OPCLASS ? class_notes[c] : NULL;
}

const char *ts_opclass_name(ts_opclass c)
{
    return (unsigned)c < TS_N_OPCLASS ? class_names[c] : NULL;
}

ts_opclass ts_opclass_find(const char *name)
{
    for (int i = 0; i < TS_N_OPCLASS; i++)
        if (strcmp(class_names[i], name) == 0)
            return (ts_opclass)i;
    return TS_N_OPCLASS;
}
