/* test_record.c: the run record in memory and its round trip through a :memory: store. */
#include "results_test.h"

Test(record, gives_different_ids_to_runs_that_differ_only_in_nonce_or_field_boundaries)
{
    ts_res_run *a = make_run("kws", "cortex-m4", NULL, 1, "1");
    ts_res_run *b = make_run("kws", "cortex-m4", NULL, 1, "2");
    ts_res_run *c = make_run("kw", "scortex-m4", NULL, 1, "1");
    ts_res_run *d = make_run("kws", "cortex-m4", NULL, 1, "1");

    cr_assert_eq(strlen(a->id), 64);
    cr_assert_str_neq(a->id, b->id);
    cr_assert_str_neq(a->id, c->id);
    cr_assert_str_eq(a->id, d->id, "the id is a function of the record and the nonce");
    ts_res_run_free(a), ts_res_run_free(b), ts_res_run_free(c), ts_res_run_free(d);
}

Test(record, keeps_a_tag_given_twice_once)
{
    ts_res_run *r = ts_res_run_new();

    cr_assert(ts_res_run_add_tag(r, "nightly") && ts_res_run_add_tag(r, "nightly"));
    cr_assert_eq(r->n_tags, 1);
    ts_res_run_free(r);
}

Test(record, grows_its_metric_list_past_many_powers_of_two)
{
    ts_res_run *r = ts_res_run_new();
    double v = 0;

    for (int i = 0; i < 5000; i++)
        cr_assert(ts_res_run_add_metric(r, i, "cycles", i));
    cr_assert(ts_res_run_metric(r, 4321, "cycles", &v));
    cr_assert_eq(v, 4321);
    cr_assert_not(ts_res_run_metric(r, 5000, "cycles", &v));
    ts_res_run_free(r);
}

Test(record, survives_a_round_trip_through_the_store_unchanged)
{
    ts_results *db = NULL;
    ts_res_err err = {0};
    ts_res_run *r = make_run("kws", "cortex-m4", "nightly", 3, "x"), *back = NULL;
    bool added = false;

    ts_res_run_add_tag(r, "pr-12");
    ts_res_run_add_metric(r, TS_RES_RUN_LAYER, "energy.core_uj", 12.5);
    cr_assert_eq(ts_results_open(":memory:", 0, &db, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_eq(ts_results_add(db, r, &added, &err), TS_RES_OK, "%s", err.msg);
    cr_assert(added);
    cr_assert_eq(ts_results_load(db, r->id, &back, &err), TS_RES_OK, "%s", err.msg);
    cr_assert_str_eq(back->id, r->id);
    for (int f = 0; f < TS_RES_N_FIELDS; f++)
        if (r->field[f])
            cr_assert_str_eq(back->field[f], r->field[f], "%s", ts_res_field_name(f));
        else
            cr_assert_null(back->field[f], "%s", ts_res_field_name(f));
    cr_assert_eq(back->n_tags, 2);
    cr_assert_eq(back->n_overrides, 1);
    cr_assert_str_eq(back->overrides[0].value, "80000000");
    cr_assert_eq(back->n_layers, 3);
    cr_assert_str_eq(back->layers[2].op, "CONV_2D");
    cr_assert_eq(back->n_metrics, r->n_metrics);
    for (size_t i = 0; i < r->n_metrics; i++) {
        double v = -1;
        cr_assert(ts_res_run_metric(back, r->metrics[i].layer, r->metrics[i].name, &v));
        cr_assert_eq(v, r->metrics[i].value, "%s", r->metrics[i].name);
    }
    ts_res_run_free(back), ts_res_run_free(r);
    ts_results_close(db);
}

Test(record, is_refused_without_an_id)
{
    ts_results *db = NULL;
    ts_res_err err = {0};
    ts_res_run *r = ts_res_run_new();

    cr_assert_eq(ts_results_open(":memory:", 0, &db, &err), TS_RES_OK);
    cr_assert_eq(ts_results_add(db, r, NULL, &err), TS_RES_BAD_RECORD);
    cr_assert(strstr(err.msg, "without an id"), "%s", err.msg);
    ts_res_run_free(r);
    ts_results_close(db);
}
