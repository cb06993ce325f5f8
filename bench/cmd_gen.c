/* cmd_gen.c: `tinysim gen` (placeholder, being written). */
#include "cli.h"

int cmd_gen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_usage_error("gen: not implemented yet");
}
