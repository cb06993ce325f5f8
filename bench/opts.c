/* opts.c: the option parser of the tinysim commands (rules and usage in opts.h).
 * Layer: bench/. Prints only through cli_usage_error; never exits. */
#include "opts.h"

#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"

#define OPTS_MAX_IDS 64

typedef struct opts_state {
    const char *cmd;
    const opts_spec *spec;
    int n;
    const char *seen_as[OPTS_MAX_IDS];    /* spelling of the first occurrence of each id */
    const char *first_value[OPTS_MAX_IDS]; /* its value (NULL for a flag) */
} opts_state;

/* The row spelled `arg` (up to its '=' when it has one), or NULL. */
static const opts_spec *find_row(const opts_state *s, const char *arg, size_t len)
{
    for (int i = 0; i < s->n; i++)
        if (strlen(s->spec[i].name) == len && strncmp(s->spec[i].name, arg, len) == 0)
            return &s->spec[i];
    return NULL;
}

/* Length of the command's first word: "results list" -> "results", for the help hint. */
static int first_word(const char *cmd)
{
    return (int)strcspn(cmd, " ");
}

/* The option of another id seen before whose mask shares a bit with row's, or NULL. */
static const opts_spec *excluded_by(const opts_state *s, const opts_spec *row)
{
    for (int i = 0; i < s->n && row->excludes; i++) {
        const opts_spec *o = &s->spec[i];
        if (o->id != row->id && (o->excludes & row->excludes) && s->seen_as[o->id])
            return o;
    }
    return NULL;
}

/* Records an occurrence of row; the repeat and exclusion checks. */
static int note_seen(opts_state *s, const opts_spec *row, const char *name, const char *value)
{
    const opts_spec *other;

    if (s->seen_as[row->id] && !(row->flags & OPTS_REPEAT)) {
        if (strcmp(s->seen_as[row->id], name) != 0)
            return cli_usage_error("%s: %s given twice (as %s, then %s)", s->cmd, name,
                                   s->seen_as[row->id], name);
        if (!value)
            return cli_usage_error("%s: %s given twice", s->cmd, name);
        return cli_usage_error("%s: %s given twice ('%s', then '%s')", s->cmd, name,
                               s->first_value[row->id], value);
    }
    if ((other = excluded_by(s, row)) != NULL)
        return cli_usage_error("%s: %s and %s exclude each other", s->cmd,
                               s->seen_as[other->id], name);
    if (!s->seen_as[row->id])
        s->seen_as[row->id] = name, s->first_value[row->id] = value;
    return TS_EXIT_OK;
}

/* One option at argv[*i]; advances *i past its value. */
static int parse_one(opts_state *s, int argc, char **argv, int *i, opts_fn fn, void *ctx)
{
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    size_t len = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
    const opts_spec *row = find_row(s, arg, len);
    const char *value = NULL;
    int rc;

    if (!row && arg[1] != '-' && strlen(arg) > 2) { /* "-j4": a short option glued to its value */
        row = find_row(s, arg, 2);
        if (row && !(row->flags & OPTS_VALUE))
            row = NULL;
        else if (row)
            value = arg + 2;
    }
    if (!row)
        return cli_usage_error("%s: unknown option '%.*s' (see 'tinysim %.*s --help')", s->cmd,
                               (int)len, arg, first_word(s->cmd), s->cmd);
    if (!(row->flags & OPTS_VALUE) && len < strlen(arg))
        return cli_usage_error("%s: %s takes no value (got '%s')", s->cmd, row->name, arg);
    if ((row->flags & OPTS_VALUE) && !value) {
        if (len < strlen(arg))
            value = arg + len + 1;
        else if (*i + 1 < argc)
            value = argv[++*i];
        else
            return cli_usage_error("%s: %s needs a value", s->cmd, row->name);
    }
    if ((rc = note_seen(s, row, row->name, value)) != TS_EXIT_OK)
        return rc;
    return fn(ctx, row->id, row->name, value);
}

int opts_parse(const char *cmd, const opts_spec *spec, int n, int argc, char **argv, int first,
               opts_fn fn, void *ctx)
{
    opts_state s;
    bool options = true;
    int rc = TS_EXIT_OK;

    memset(&s, 0, sizeof s);
    s.cmd = cmd, s.spec = spec, s.n = n;
    for (int i = 0; i < n; i++)
        assert(spec[i].id >= 0 && spec[i].id < OPTS_MAX_IDS);
    for (int i = first; i < argc && rc == TS_EXIT_OK; i++) {
        const char *arg = argv[i];
        if (options && strcmp(arg, "--") == 0)
            options = false;
        else if (options && arg[0] == '-' && arg[1])
            rc = parse_one(&s, argc, argv, &i, fn, ctx);
        else
            rc = fn(ctx, OPTS_ARG, NULL, arg);
    }
    return rc;
}
