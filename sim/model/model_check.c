/* model_check.c: placeholder, being written. */
#include "model.h"
int ts_model_placeholder_model_check(void);
int ts_model_placeholder_model_check(void) { return 0; }
