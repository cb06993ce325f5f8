/* Tests for the core capabilities of sim/target (cores.def): has_dsp and has_fpu are checked
 * against the core when a file is loaded (tests/data/bad_targets) and after --set overrides,
 * once for a whole list of overrides (ts_target_set_many). */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/target/target.h"
#include "target_test.h"

Test(target_cores, the_capability_table_matches_the_architectures)
{
    /* ARMv6-M and ARMv7-M have no DSP extension; ARMv7E-M and ARMv8-M Mainline may */
    cr_expect_not(ts_target_core_dsp_ext(TS_CORE_M0));
    cr_expect_not(ts_target_core_dsp_ext(TS_CORE_M0PLUS));
    cr_expect_not(ts_target_core_dsp_ext(TS_CORE_M3));
    cr_expect(ts_target_core_dsp_ext(TS_CORE_M4) && ts_target_core_dsp_ext(TS_CORE_M7) &&
              ts_target_core_dsp_ext(TS_CORE_M33));
    cr_expect_not(ts_target_core_fpu(TS_CORE_M3));
    cr_expect(ts_target_core_fpu(TS_CORE_M4));
    cr_expect_not(ts_target_core_fpu(-1));
    cr_expect_not(ts_target_core_dsp_ext(TS_N_CORE_KIND));
}

Test(target_cores, set_has_dsp_on_a_core_without_the_extension_names_the_key_and_the_cores)
{
    ts_target t = load_ok("cortex-m0"), before = t;
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "has_dsp", "true", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: has_dsp: true, but core cortex-m0 has no DSP extension "
                     "(has_dsp needs cortex-m4, cortex-m7 or cortex-m33)");
    cr_expect(memcmp(&t, &before, sizeof t) == 0, "a refused --set leaves the target alone");
}

Test(target_cores, set_core_to_one_without_dsp_on_an_m4_is_refused_while_has_dsp_is_true)
{
    ts_target t = load_ok("cortex-m4");
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "core", "cortex-m0", &err), TS_ERR_CONFIG);
    cr_expect(strstr(err.msg, "has_dsp: true, but core cortex-m0 has no DSP extension"), "%s",
              err.msg);
    cr_expect_eq(t.core, TS_CORE_M4);
}

Test(target_cores, set_has_fpu_false_on_an_fpu_core_is_refused_with_the_reason)
{
    ts_target t = load_ok("cortex-m4");
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "has_fpu", "false", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: has_fpu: false, but tinysim models core cortex-m4 with its "
                     "FPU only (its kernel firmware is built for hard float; expected true)");
    cr_expect(t.has_fpu);
}

Test(target_cores, a_list_of_overrides_is_checked_once_after_the_last)
{
    ts_target t = load_ok("cortex-m4");
    const char *keys[] = {"core", "has_dsp", "has_fpu"};
    const char *values[] = {"cortex-m0", "false", "false"};
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set_many(&t, keys, values, 3, &err), TS_OK, "%s", err.msg);
    cr_expect_eq(t.core, TS_CORE_M0);
    cr_expect_not(t.has_dsp);
    cr_expect_not(t.has_fpu);
    /* the M4 without DSP is a real part (plain kernels): accepted */
    t = load_ok("cortex-m4");
    cr_expect_eq(ts_target_set(&t, "has_dsp", "false", &err), TS_OK, "%s", err.msg);
}

Test(target_cores, an_unknown_set_key_points_at_the_targets_keys_command)
{
    ts_target t = load_ok("cortex-m4");
    ts_err err;

    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "clok_hz", "1", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: clok_hz: unknown key or not a single value (see 'tinysim "
                     "targets --keys')");
    ts_err_clear(&err);
    cr_expect_eq(ts_target_set(&t, "timing.divide", "1", &err), TS_ERR_CONFIG);
    cr_expect_str_eq(err.msg, "--set: timing.divide: unknown op class (see 'tinysim targets "
                     "--keys')");
}
