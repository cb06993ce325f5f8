/* model_stats.c: placeholder, being written. */
#include "model.h"
int ts_model_placeholder_model_stats(void);
int ts_model_placeholder_model_stats(void) { return 0; }
