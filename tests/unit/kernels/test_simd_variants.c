/* tests/unit/kernels/test_simd_variants.c: the DSP-extension variants (conv2d_s8_simd.c,
 * depthwise_conv2d_s8_simd.c, fully_connected_s8_simd.c) against the plain kernels: for
 * hundreds of random shapes (fixed seeds; odd channel counts and widths, padding, strides,
 * dilation, groups, depth multipliers 1..3, per-tensor and per-channel, both rounding modes,
 * unaligned tensors) the outputs are byte-for-byte equal, and bad arguments give the same
 * status. Also the C emulation of the instructions (simd_int.h, what the host runs) against
 * hand-computed values. Buffers are allocated to their exact size so that ASan catches any
 * word load past the end of a tensor. */
#include <criterion/criterion.h>
#include <string.h>

#include "kernel_test_util.h"
#include "kernels/simd_int.h"

/* ------------------------------ emulated instructions ------------------------------ */

Test(simd_variants, host_build_uses_the_c_emulation)
{
    cr_assert_eq(TSK_SIMD_NATIVE, 0);
}

Test(simd_variants, smlad_adds_both_halfword_products_to_the_accumulator)
{
    /* (3, -2) . (5, 7) = 15 - 14 = 1, + 10 */
    cr_assert_eq(tsk_simd_smlad(tsk_simd_pack16(3, -2), tsk_simd_pack16(5, 7), 10), 11);
    /* (-1, -32768) . (-32768, 2) = 32768 - 65536 = -32768, + 0 */
    cr_assert_eq(tsk_simd_smlad((int32_t)0x8000ffff, 0x00028000, 0), -32768);
}

Test(simd_variants, smlad_wraps_on_overflow_like_the_instruction)
{
    /* (-32768)^2 + (-32768)^2 = 2^31: wraps to INT32_MIN (the instruction sets Q, keeps it) */
    cr_assert_eq(tsk_simd_smlad((int32_t)0x80008000, (int32_t)0x80008000, 0), INT32_MIN);
    /* INT32_MAX + 2 * 32767^2 = 2^31 - 1 + 2147352578 -> -131071 mod 2^32 */
    cr_assert_eq(tsk_simd_smlad(0x7fff7fff, 0x7fff7fff, INT32_MAX), -131071);
    /* INT32_MIN - 32767 * 32768 wraps downwards: -3221192704 + 2^32 */
    cr_assert_eq(tsk_simd_smlad(0x00007fff, 0x00008000, INT32_MIN), 1073774592);
}

Test(simd_variants, smlabb_and_smlatt_use_one_halfword_of_each_operand)
{
    int32_t a = tsk_simd_pack16(-7, 300), b = tsk_simd_pack16(9, -2);
    cr_assert_eq(tsk_simd_smlabb(a, b, 100), 100 - 63);
    cr_assert_eq(tsk_simd_smlatt(a, b, 100), 100 - 600);
    cr_assert_eq(tsk_simd_smlabb((int32_t)0x00008000, (int32_t)0x00008000, INT32_MAX),
                 (int32_t)(0x7fffffffu + 0x40000000u));
}

Test(simd_variants, sxtb16_sign_extends_bytes_0_and_2_and_ror8_bytes_1_and_3)
{
    /* bytes (low to high): 0x01, 0x7f, 0xff, 0x80 = 1, 127, -1, -128 */
    int32_t x = (int32_t)0x80ff7f01;
    cr_assert_eq(tsk_simd_sxtb16(x), (int32_t)0xffff0001);      /* (1, -1) */
    cr_assert_eq(tsk_simd_sxtb16_ror8(x), (int32_t)0xff80007f); /* (127, -128) */
    cr_assert_eq(tsk_simd_sxtb16((int32_t)0x00800080), (int32_t)0xff80ff80);
    cr_assert_eq(tsk_simd_sxtb16(0x7f007f00), 0);
}

Test(simd_variants, sxtab16_adds_per_halfword_and_wraps_each_half_separately)
{
    int32_t x = (int32_t)0x80ff7f01; /* 1, 127, -1, -128 */
    cr_assert_eq(tsk_simd_sxtab16(tsk_simd_pack16(100, -100), x), tsk_simd_pack16(101, -101));
    cr_assert_eq(tsk_simd_sxtab16_ror8(tsk_simd_pack16(128, 128), x), tsk_simd_pack16(255, 0));
    /* 32767 + 1 wraps to -32768 without carrying into the top half; -32768 - 1 -> 32767 */
    cr_assert_eq(tsk_simd_sxtab16(tsk_simd_pack16(32767, -32768), 0x00ff0001), (int32_t)0x7fff8000);
}

Test(simd_variants, ror_rotates_right)
{
    cr_assert_eq(tsk_simd_ror(0x12345678, 8), 0x78123456);
    cr_assert_eq(tsk_simd_ror(0x12345678, 0), 0x12345678);
    cr_assert_eq(tsk_simd_ror((int32_t)0x80000001, 1), (int32_t)0xc0000000);
    cr_assert_eq(tsk_simd_ror(0x000000ff, 24), 0x0000ff00);
}

Test(simd_variants, word_load_is_little_endian_at_any_alignment)
{
    const int8_t bytes[6] = {0x11, 0x01, 0x02, -1, -128, 0x22};
    cr_assert_eq(tsk_simd_load_s8x4(bytes + 1), (int32_t)0x80ff0201);
    cr_assert_eq(tsk_simd_half((int32_t)0x8000ffff, 0), -1);
    cr_assert_eq(tsk_simd_half((int32_t)0x8000ffff, 1), -32768);
    cr_assert_eq(tsk_simd_dup16(-3), (int32_t)0xfffdfffd);
}

/* ----------------------------------- helpers ----------------------------------- */

/* An exactly-sized buffer (malloc, so suitably aligned); with `shift` 1 the data start one
 * byte into the allocation (unaligned) and still end exactly at its end. */
typedef struct buf {
    void *mem;
    int8_t *p;
} buf;

static buf buf_make(int32_t n, int shift)
{
    buf b;
    b.mem = malloc((size_t)(n + shift));
    cr_assert_not_null(b.mem);
    b.p = (int8_t *)b.mem + shift;
    return b;
}

/* Scratch of exactly `size` bytes (NULL ctx for 0). */
static tsk_ctx *ctx_make(tsk_ctx *c, int32_t size)
{
    cr_assert_geq(size, 0);
    c->size = size;
    c->buf = size > 0 ? malloc((size_t)size) : NULL;
    return size > 0 ? c : NULL;
}

/* Random requantisation table (per-tensor or per-channel) with scales in [lo, hi). */
static void random_quant(rng *r, int32_t n, double lo, double hi, int32_t *mult, int32_t *shift)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        double s = lo * pow(hi / lo, rng_real(r, 0.0, 1.0));
        cr_assert_eq(tsk_quantize_multiplier(s, &mult[i], &shift[i]), TSK_OK);
    }
}

static tsk_range random_act(rng *r)
{
    tsk_range a = {-128, 127};
    if (rng_int(r, 0, 2) == 0) {
        a.min = rng_int(r, -128, 0);
        a.max = rng_int(r, a.min, 127);
    }
    return a;
}

/* Index of the first differing byte, or -1. */
static int32_t first_diff(const int8_t *a, const int8_t *b, int32_t n)
{
    int32_t i;
    for (i = 0; i < n; i++) {
        if (a[i] != b[i]) {
            return i;
        }
    }
    return -1;
}

/* ------------------------------------- conv ------------------------------------- */

typedef struct conv_case {
    tsk_conv_params p;
    tsk_dims id, fd, od;
    int32_t n_q, has_bias;
} conv_case;

static conv_case random_conv_case(rng *r)
{
    conv_case c;
    int32_t groups = rng_int(r, 0, 3) == 0 ? rng_int(r, 2, 3) : 1;
    int32_t pad_h, pad_w;
    memset(&c, 0, sizeof c);
    c.fd.c = rng_int(r, 1, 3) == 1 ? rng_int(r, 1, 40) : rng_int(r, 1, 9);
    c.fd.h = rng_int(r, 1, 4);
    c.fd.w = rng_int(r, 1, 4);
    c.fd.n = groups * rng_int(r, 1, 7);
    c.id.n = rng_int(r, 1, 2);
    c.id.c = groups * c.fd.c;
    c.p.stride.h = rng_int(r, 1, 3);
    c.p.stride.w = rng_int(r, 1, 3);
    c.p.dilation.h = rng_int(r, 0, 2) == 0 ? rng_int(r, 2, 3) : 1;
    c.p.dilation.w = rng_int(r, 0, 2) == 0 ? rng_int(r, 2, 3) : 1;
    c.id.h = (c.fd.h - 1) * c.p.dilation.h + rng_int(r, 1, 8);
    c.id.w = (c.fd.w - 1) * c.p.dilation.w + rng_int(r, 1, 8);
    pad_h = rng_int(r, 0, c.fd.h - 1);
    pad_w = rng_int(r, 0, c.fd.w - 1);
    c.p.padding.h = rng_int(r, 0, pad_h);
    c.p.padding.w = rng_int(r, 0, pad_w);
    c.od.n = c.id.n;
    c.od.h = conv_out_size(c.id.h, c.fd.h, c.p.stride.h, c.p.dilation.h, pad_h);
    c.od.w = conv_out_size(c.id.w, c.fd.w, c.p.stride.w, c.p.dilation.w, pad_w);
    c.od.c = c.fd.n;
    c.p.input_offset = rng_int(r, -127, 128);
    c.p.output_offset = rng_int(r, -128, 127);
    c.p.act = random_act(r);
    c.p.rounding = rng_int(r, 0, 1) ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE;
    c.n_q = rng_int(r, 0, 1) ? c.od.c : 1;
    c.has_bias = rng_int(r, 0, 3) != 0;
    return c;
}

/* Runs both conv kernels on one random case and asserts equal statuses and outputs. */
static void check_conv_case(rng *r, int32_t idx)
{
    conv_case c = random_conv_case(r);
    int shift = rng_int(r, 0, 1);
    int32_t n_in = dims_count(c.id), n_f = dims_count(c.fd), n_out = dims_count(c.od);
    buf in = buf_make(n_in, shift), f = buf_make(n_f, shift);
    int8_t *out_ref = malloc((size_t)n_out), *out_simd = malloc((size_t)n_out);
    int32_t *bias = malloc(sizeof(int32_t) * (size_t)c.od.c);
    int32_t *mult = malloc(sizeof(int32_t) * (size_t)c.od.c);
    int32_t *sh = malloc(sizeof(int32_t) * (size_t)c.od.c);
    tsk_quant q = {mult, sh, c.n_q};
    tsk_ctx cr, cs;
    tsk_status st_ref, st_simd;
    int32_t i, k = c.fd.h * c.fd.w * c.fd.c;
    fill_s8(r, in.p, n_in, -128, 127);
    fill_s8(r, f.p, n_f, -128, 127);
    for (i = 0; i < c.od.c; i++) {
        bias[i] = rng_int(r, -20000, 20000);
    }
    random_quant(r, c.n_q, 0.2 / (k * 128.0), 8.0 / (k * 128.0), mult, sh);
    memset(out_ref, 0x5a, (size_t)n_out);
    memset(out_simd, 0xa5, (size_t)n_out);
    st_ref = tsk_conv2d_s8(ctx_make(&cr, tsk_conv2d_s8_scratch_size(&c.id, &c.fd, &c.od)), &c.p, &q,
                           &c.id, in.p, &c.fd, f.p, c.has_bias ? bias : NULL, &c.od, out_ref);
    st_simd = tsk_conv2d_s8_simd(
        ctx_make(&cs, tsk_conv2d_s8_simd_scratch_size(&c.id, &c.fd, &c.od)), &c.p, &q, &c.id, in.p,
        &c.fd, f.p, c.has_bias ? bias : NULL, &c.od, out_simd);
    cr_assert_eq(st_ref, TSK_OK, "case %d: ref status %d", idx, st_ref);
    cr_assert_eq(st_simd, TSK_OK, "case %d: simd status %d", idx, st_simd);
    i = first_diff(out_ref, out_simd, n_out);
    cr_assert_eq(i, -1,
                 "case %d: in [%d,%d,%d,%d] filter [%d,%d,%d,%d] out [%d,%d,%d,%d] stride %dx%d "
                 "dil %dx%d pad %dx%d: byte %d ref %d simd %d",
                 idx, c.id.n, c.id.h, c.id.w, c.id.c, c.fd.n, c.fd.h, c.fd.w, c.fd.c, c.od.n,
                 c.od.h, c.od.w, c.od.c, c.p.stride.h, c.p.stride.w, c.p.dilation.h, c.p.dilation.w,
                 c.p.padding.h, c.p.padding.w, i, i >= 0 ? out_ref[i] : 0,
                 i >= 0 ? out_simd[i] : 0);
    free(cr.buf);
    free(cs.buf);
    free(in.mem);
    free(f.mem);
    free(out_ref);
    free(out_simd);
    free(bias);
    free(mult);
    free(sh);
}

Test(simd_variants, conv_simd_equals_ref_byte_for_byte_on_random_shapes)
{
    rng r = {0x51d0c0deu};
    int32_t i;
    for (i = 0; i < 600; i++) {
        check_conv_case(&r, i);
    }
}

Test(simd_variants, conv_simd_equals_ref_on_a_layer_with_saturating_outputs)
{
    /* Large scales: most outputs hit the clamp, exercising the requantisation extremes. */
    tsk_dims id = {1, 7, 9, 13}, fd = {5, 3, 3, 13}, od = {1, 7, 9, 5};
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 128, 127, {-128, 127}, TSK_ROUND_SINGLE};
    int8_t in[7 * 9 * 13], f[5 * 9 * 13], o1[7 * 9 * 5], o2[7 * 9 * 5];
    int32_t m[5], s[5], round;
    tsk_quant q = {m, s, 5};
    rng r = {99u};
    tsk_ctx c1, c2;
    fill_s8(&r, in, (int32_t)sizeof in, -128, 127);
    fill_s8(&r, f, (int32_t)sizeof f, -128, 127);
    random_quant(&r, 5, 0.05, 2.0, m, s);
    for (round = 0; round < 2; round++) {
        p.rounding = round;
        cr_assert_eq(tsk_conv2d_s8(ctx_make(&c1, tsk_conv2d_s8_scratch_size(&id, &fd, &od)), &p, &q,
                                   &id, in, &fd, f, NULL, &od, o1),
                     TSK_OK);
        cr_assert_eq(
            tsk_conv2d_s8_simd(ctx_make(&c2, tsk_conv2d_s8_simd_scratch_size(&id, &fd, &od)), &p,
                               &q, &id, in, &fd, f, NULL, &od, o2),
            TSK_OK);
        cr_assert_arr_eq(o1, o2, sizeof o1);
        free(c1.buf);
        free(c2.buf);
    }
}

/* ----------------------------------- depthwise ----------------------------------- */

typedef struct dw_case {
    tsk_dw_conv_params p;
    tsk_dims id, fd, od;
    int32_t n_q, has_bias;
} dw_case;

static dw_case random_dw_case(rng *r)
{
    dw_case c;
    int32_t pad_h, pad_w;
    memset(&c, 0, sizeof c);
    c.p.ch_mult = rng_int(r, 1, 3);
    c.id.n = rng_int(r, 1, 2);
    c.id.c = rng_int(r, 0, 2) == 0 ? rng_int(r, 1, 3) : rng_int(r, 1, 19);
    c.fd.n = 1;
    c.fd.h = rng_int(r, 1, 4);
    c.fd.w = rng_int(r, 1, 4);
    c.fd.c = c.id.c * c.p.ch_mult;
    c.p.stride.h = rng_int(r, 1, 3);
    c.p.stride.w = rng_int(r, 1, 3);
    c.p.dilation.h = rng_int(r, 0, 2) == 0 ? rng_int(r, 2, 3) : 1;
    c.p.dilation.w = rng_int(r, 0, 2) == 0 ? rng_int(r, 2, 3) : 1;
    c.id.h = (c.fd.h - 1) * c.p.dilation.h + rng_int(r, 1, 8);
    c.id.w = (c.fd.w - 1) * c.p.dilation.w + rng_int(r, 1, 8);
    pad_h = rng_int(r, 0, c.fd.h - 1);
    pad_w = rng_int(r, 0, c.fd.w - 1);
    c.p.padding.h = rng_int(r, 0, pad_h);
    c.p.padding.w = rng_int(r, 0, pad_w);
    c.od.n = c.id.n;
    c.od.h = conv_out_size(c.id.h, c.fd.h, c.p.stride.h, c.p.dilation.h, pad_h);
    c.od.w = conv_out_size(c.id.w, c.fd.w, c.p.stride.w, c.p.dilation.w, pad_w);
    c.od.c = c.fd.c;
    c.p.input_offset = rng_int(r, -127, 128);
    c.p.output_offset = rng_int(r, -128, 127);
    c.p.act = random_act(r);
    c.p.rounding = rng_int(r, 0, 1) ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE;
    c.n_q = rng_int(r, 0, 1) ? c.od.c : 1;
    c.has_bias = rng_int(r, 0, 3) != 0;
    return c;
}

static void check_dw_case(rng *r, int32_t idx)
{
    dw_case c = random_dw_case(r);
    int shift = rng_int(r, 0, 1);
    int32_t n_in = dims_count(c.id), n_f = dims_count(c.fd), n_out = dims_count(c.od);
    buf in = buf_make(n_in, shift), f = buf_make(n_f, shift);
    int8_t *out_ref = malloc((size_t)n_out), *out_simd = malloc((size_t)n_out);
    int32_t *bias = malloc(sizeof(int32_t) * (size_t)c.od.c);
    int32_t *mult = malloc(sizeof(int32_t) * (size_t)c.od.c);
    int32_t *sh = malloc(sizeof(int32_t) * (size_t)c.od.c);
    tsk_quant q = {mult, sh, c.n_q};
    tsk_ctx cr, cs;
    tsk_status st_ref, st_simd;
    int32_t i, k = c.fd.h * c.fd.w;
    fill_s8(r, in.p, n_in, -128, 127);
    fill_s8(r, f.p, n_f, -128, 127);
    for (i = 0; i < c.od.c; i++) {
        bias[i] = rng_int(r, -5000, 5000);
    }
    random_quant(r, c.n_q, 0.2 / (k * 128.0), 8.0 / (k * 128.0), mult, sh);
    memset(out_ref, 0x5a, (size_t)n_out);
    memset(out_simd, 0xa5, (size_t)n_out);
    st_ref = tsk_depthwise_conv2d_s8(
        ctx_make(&cr, tsk_depthwise_conv2d_s8_scratch_size(&c.id, &c.fd, &c.od)), &c.p, &q, &c.id,
        in.p, &c.fd, f.p, c.has_bias ? bias : NULL, &c.od, out_ref);
    st_simd = tsk_depthwise_conv2d_s8_simd(
        ctx_make(&cs, tsk_depthwise_conv2d_s8_simd_scratch_size(&c.id, &c.fd, &c.od)), &c.p, &q,
        &c.id, in.p, &c.fd, f.p, c.has_bias ? bias : NULL, &c.od, out_simd);
    cr_assert_eq(st_ref, TSK_OK, "case %d: ref status %d", idx, st_ref);
    cr_assert_eq(st_simd, TSK_OK, "case %d: simd status %d", idx, st_simd);
    i = first_diff(out_ref, out_simd, n_out);
    cr_assert_eq(i, -1,
                 "case %d: in [%d,%d,%d,%d] filter [%d,%d,%d] mult %d stride %dx%d dil %dx%d "
                 "pad %dx%d: byte %d ref %d simd %d",
                 idx, c.id.n, c.id.h, c.id.w, c.id.c, c.fd.h, c.fd.w, c.fd.c, c.p.ch_mult,
                 c.p.stride.h, c.p.stride.w, c.p.dilation.h, c.p.dilation.w, c.p.padding.h,
                 c.p.padding.w, i, i >= 0 ? out_ref[i] : 0, i >= 0 ? out_simd[i] : 0);
    free(cr.buf);
    free(cs.buf);
    free(in.mem);
    free(f.mem);
    free(out_ref);
    free(out_simd);
    free(bias);
    free(mult);
    free(sh);
}

Test(simd_variants, depthwise_simd_equals_ref_byte_for_byte_on_random_shapes)
{
    rng r = {0xd3e7c0deu};
    int32_t i;
    for (i = 0; i < 800; i++) {
        check_dw_case(&r, i);
    }
}

Test(simd_variants, depthwise_simd_handles_windows_entirely_in_the_padding)
{
    /* 1x1 input, 3x3 filter, pad 3, 5x5 output: only windows of the centre row and column
     * touch the pixel; the others lie entirely in the padding, so they are bias only. */
    tsk_dims id = {1, 1, 1, 5}, fd = {1, 3, 3, 5}, od = {1, 5, 5, 5};
    tsk_dw_conv_params p = {{1, 1}, {3, 3}, {1, 1}, 1, 3, -2, {-128, 127}, TSK_ROUND_SINGLE};
    int8_t in[5] = {1, -2, 3, -4, 5}, f[45], o1[125], o2[125];
    int32_t m = 1 << 30, s = 0, bias[5] = {10, -20, 30, -40, 50};
    tsk_quant q = {&m, &s, 1};
    tsk_ctx c1, c2;
    rng r = {5u};
    fill_s8(&r, f, 45, -128, 127);
    cr_assert_eq(
        tsk_depthwise_conv2d_s8(ctx_make(&c1, tsk_depthwise_conv2d_s8_scratch_size(&id, &fd, &od)),
                                &p, &q, &id, in, &fd, f, bias, &od, o1),
        TSK_OK);
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd(
                     ctx_make(&c2, tsk_depthwise_conv2d_s8_simd_scratch_size(&id, &fd, &od)), &p,
                     &q, &id, in, &fd, f, bias, &od, o2),
                 TSK_OK);
    cr_assert_arr_eq(o1, o2, sizeof o1);
    cr_assert_eq(o2[0], 5 - 2); /* bias 10 * 0.5 + output offset */
    free(c1.buf);
    free(c2.buf);
}

/* -------------------------------- fully connected -------------------------------- */

static void check_fc_case(rng *r, int32_t idx)
{
    tsk_fc_params p;
    int32_t depth = rng_int(r, 0, 2) == 0 ? rng_int(r, 1, 7) : rng_int(r, 1, 70);
    int32_t n_outc = rng_int(r, 1, 11), batches = rng_int(r, 1, 3);
    tsk_dims id = {batches, 1, 1, depth}, fd = {n_outc, 1, 1, depth}, od = {batches, 1, 1, n_outc};
    int shift = rng_int(r, 0, 1);
    buf in = buf_make(batches * depth, shift), f = buf_make(n_outc * depth, shift);
    int8_t *out_ref = malloc((size_t)(batches * n_outc));
    int8_t *out_simd = malloc((size_t)(batches * n_outc));
    int32_t bias[11], mult[11], sh[11], i, has_bias = rng_int(r, 0, 3) != 0;
    tsk_quant q = {mult, sh, rng_int(r, 0, 1) ? n_outc : 1};
    tsk_ctx cr, cs;
    if (rng_int(r, 0, 1)) { /* any input shape with batches * depth elements will do */
        id = (tsk_dims){1, batches, depth, 1};
    }
    p.input_offset = rng_int(r, -127, 128);
    p.filter_offset = rng_int(r, 0, 2) == 0 ? rng_int(r, -127, 128) : 0;
    p.output_offset = rng_int(r, -128, 127);
    p.act = random_act(r);
    p.rounding = rng_int(r, 0, 1) ? TSK_ROUND_DOUBLE : TSK_ROUND_SINGLE;
    fill_s8(r, in.p, batches * depth, -128, 127);
    fill_s8(r, f.p, n_outc * depth, -128, 127);
    for (i = 0; i < n_outc; i++) {
        bias[i] = rng_int(r, -20000, 20000);
    }
    random_quant(r, q.n, 0.1 / (depth * 128.0), 4.0 / (depth * 128.0), mult, sh);
    memset(out_ref, 0x5a, (size_t)(batches * n_outc));
    memset(out_simd, 0xa5, (size_t)(batches * n_outc));
    cr_assert_eq(tsk_fully_connected_s8(ctx_make(&cr, tsk_fully_connected_s8_scratch_size(&fd)), &p,
                                        &q, &id, in.p, &fd, f.p, has_bias ? bias : NULL, &od,
                                        out_ref),
                 TSK_OK, "case %d", idx);
    cr_assert_eq(tsk_fully_connected_s8_simd(
                     ctx_make(&cs, tsk_fully_connected_s8_simd_scratch_size(&fd)), &p, &q, &id,
                     in.p, &fd, f.p, has_bias ? bias : NULL, &od, out_simd),
                 TSK_OK, "case %d", idx);
    i = first_diff(out_ref, out_simd, batches * n_outc);
    cr_assert_eq(i, -1, "case %d: depth %d out %d batches %d fo %d io %d: byte %d", idx, depth,
                 n_outc, batches, p.filter_offset, p.input_offset, i);
    free(cr.buf);
    free(cs.buf);
    free(in.mem);
    free(f.mem);
    free(out_ref);
    free(out_simd);
}

Test(simd_variants, fully_connected_simd_equals_ref_byte_for_byte_on_random_shapes)
{
    rng r = {0xfc5eedu};
    int32_t i;
    for (i = 0; i < 800; i++) {
        check_fc_case(&r, i);
    }
}

/* ---------------------------------- bad arguments ---------------------------------- */

/* Ways to break a valid call; each must give the same status from both variants and leave
 * the output untouched. A row that does not apply to a kernel (stride for FC, say) breaks
 * something else of that kernel instead, as commented in its switch. */
enum bad_arg {
    BAD_NULL_P,
    BAD_NULL_Q,
    BAD_NULL_IN,
    BAD_NULL_FILTER,
    BAD_NULL_OUT,
    BAD_STRIDE,
    BAD_DILATION,
    BAD_INPUT_OFFSET,
    BAD_ROUNDING,
    BAD_ACT,
    BAD_QUANT_N,
    BAD_NULL_MULT,
    BAD_OUT_C,
    BAD_BATCH,
    BAD_ZERO_DIM,
    BAD_CH_MULT,
    BAD_FILTER_OFFSET,
    N_BAD
};

Test(simd_variants, conv_statuses_agree_with_ref_on_bad_arguments)
{
    int32_t m[4] = {1 << 30, 1 << 30, 1 << 30, 1 << 30}, s[4] = {0, 0, 0, 0};
    int8_t in[2 * 5 * 5 * 6] = {0}, f[4 * 3 * 3 * 3] = {0};
    int bad;
    for (bad = 0; bad < N_BAD; bad++) {
        tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 3, 0, {-128, 127}, TSK_ROUND_SINGLE};
        tsk_quant q = {m, s, 4};
        tsk_dims id = {2, 5, 5, 6}, fd = {4, 3, 3, 3}, od = {2, 5, 5, 4};
        int8_t o1[2 * 5 * 5 * 4], o2[sizeof o1];
        const int8_t *pin = in, *pf = f;
        int8_t *po1 = o1, *po2 = o2;
        const tsk_conv_params *pp = &p;
        const tsk_quant *pq = &q;
        tsk_ctx c1, c2;
        tsk_status s1, s2;
        switch ((enum bad_arg)bad) {
        case BAD_NULL_P:
            pp = NULL;
            break;
        case BAD_NULL_Q:
            pq = NULL;
            break;
        case BAD_NULL_IN:
            pin = NULL;
            break;
        case BAD_NULL_FILTER:
            pf = NULL;
            break;
        case BAD_NULL_OUT:
            po1 = po2 = NULL;
            break;
        case BAD_STRIDE:
            p.stride.w = 0;
            break;
        case BAD_DILATION:
            p.dilation.h = 0;
            break;
        case BAD_INPUT_OFFSET:
            p.input_offset = 129;
            break;
        case BAD_ROUNDING:
            p.rounding = 2;
            break;
        case BAD_ACT:
            p.act.min = 10;
            p.act.max = 5;
            break;
        case BAD_QUANT_N:
            q.n = 3;
            break;
        case BAD_NULL_MULT:
            q.multiplier = NULL;
            break;
        case BAD_OUT_C:
            od.c = 5;
            break;
        case BAD_BATCH:
            od.n = 1;
            break;
        case BAD_ZERO_DIM:
            id.w = 0;
            break;
        case BAD_CH_MULT:
            fd.c = 4;
            break; /* groups: 6 input channels, filter C 4 */
        case BAD_FILTER_OFFSET:
            p.act.max = 200;
            break; /* conv has no filter offset */
        case N_BAD:
            break;
        }
        memset(o1, 7, sizeof o1);
        memset(o2, 7, sizeof o2);
        s1 = tsk_conv2d_s8(ctx_make(&c1, 4096), pp, pq, &id, pin, &fd, pf, NULL, &od, po1);
        s2 = tsk_conv2d_s8_simd(ctx_make(&c2, 8192), pp, pq, &id, pin, &fd, pf, NULL, &od, po2);
        cr_assert_eq(s1, s2, "bad %d: ref %d simd %d", bad, s1, s2);
        cr_assert_eq(s1, TSK_ERR_ARG, "bad %d", bad);
        cr_assert_eq(o2[0], 7);
        free(c1.buf);
        free(c2.buf);
    }
}

Test(simd_variants, conv_simd_reports_missing_small_or_misaligned_scratch)
{
    int32_t m = 1 << 30, s = 0;
    int8_t in[1 * 4 * 4 * 3] = {0}, f[2 * 3 * 3 * 3] = {0}, out[1 * 4 * 4 * 2];
    tsk_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    tsk_quant q = {&m, &s, 1};
    tsk_dims id = {1, 4, 4, 3}, fd = {2, 3, 3, 3}, od = {1, 4, 4, 2};
    int32_t need = tsk_conv2d_s8_simd_scratch_size(&id, &fd, &od);
    int32_t words[64];
    tsk_ctx small = {words, need - 1}, odd = {(char *)words + 2, need}, none = {NULL, need};
    /* K = 27: columns 2 * (2 * 6 + 3) words = 120 bytes, staging 28 bytes */
    cr_assert_eq(need, 148);
    cr_assert_eq(tsk_conv2d_s8_simd(&small, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_conv2d_s8_simd(&odd, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_conv2d_s8_simd(&none, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_conv2d_s8_simd(NULL, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    none.buf = words;
    cr_assert_eq(tsk_conv2d_s8_simd(&none, &p, &q, &id, in, &fd, f, NULL, &od, out), TSK_OK);
    id.c = 0;
    cr_assert_eq(tsk_conv2d_s8_simd_scratch_size(&id, &fd, &od), -1);
    cr_assert_eq(tsk_conv2d_s8_simd_scratch_size(NULL, &fd, &od), -1);
}

Test(simd_variants, depthwise_statuses_agree_with_ref_on_bad_arguments)
{
    int32_t m[6] = {1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30}, s[6] = {0};
    int8_t in[2 * 5 * 5 * 3] = {0}, f[3 * 3 * 6] = {0};
    int bad;
    for (bad = 0; bad < N_BAD; bad++) {
        tsk_dw_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 2, 3, 0, {-128, 127}, TSK_ROUND_SINGLE};
        tsk_quant q = {m, s, 6};
        tsk_dims id = {2, 5, 5, 3}, fd = {1, 3, 3, 6}, od = {2, 5, 5, 6};
        int8_t o1[2 * 5 * 5 * 6], o2[sizeof o1];
        const int8_t *pin = in, *pf = f;
        int8_t *po1 = o1, *po2 = o2;
        const tsk_dw_conv_params *pp = &p;
        const tsk_quant *pq = &q;
        tsk_ctx c1, c2;
        tsk_status s1, s2;
        switch ((enum bad_arg)bad) {
        case BAD_NULL_P:
            pp = NULL;
            break;
        case BAD_NULL_Q:
            pq = NULL;
            break;
        case BAD_NULL_IN:
            pin = NULL;
            break;
        case BAD_NULL_FILTER:
            pf = NULL;
            break;
        case BAD_NULL_OUT:
            po1 = po2 = NULL;
            break;
        case BAD_STRIDE:
            p.stride.h = 0;
            break;
        case BAD_DILATION:
            p.dilation.w = -1;
            break;
        case BAD_INPUT_OFFSET:
            p.input_offset = -128;
            break;
        case BAD_ROUNDING:
            p.rounding = -1;
            break;
        case BAD_ACT:
            p.act.max = 128;
            break;
        case BAD_QUANT_N:
            q.n = 2;
            break;
        case BAD_NULL_MULT:
            q.shift = NULL;
            break;
        case BAD_OUT_C:
            od.c = 5;
            break;
        case BAD_BATCH:
            od.n = 3;
            break;
        case BAD_ZERO_DIM:
            fd.h = 0;
            break;
        case BAD_CH_MULT:
            p.ch_mult = 0;
            break;
        case BAD_FILTER_OFFSET:
            fd.n = 2;
            break; /* no filter offset: bad filter N */
        case N_BAD:
            break;
        }
        memset(o1, 7, sizeof o1);
        memset(o2, 7, sizeof o2);
        s1 =
            tsk_depthwise_conv2d_s8(ctx_make(&c1, 4096), pp, pq, &id, pin, &fd, pf, NULL, &od, po1);
        s2 = tsk_depthwise_conv2d_s8_simd(ctx_make(&c2, 4096), pp, pq, &id, pin, &fd, pf, NULL, &od,
                                          po2);
        cr_assert_eq(s1, s2, "bad %d: ref %d simd %d", bad, s1, s2);
        cr_assert_eq(s1, TSK_ERR_ARG, "bad %d", bad);
        cr_assert_eq(o2[0], 7);
        free(c1.buf);
        free(c2.buf);
    }
}

Test(simd_variants, fully_connected_statuses_agree_with_ref_on_bad_arguments)
{
    int32_t m[5] = {1 << 30, 1 << 30, 1 << 30, 1 << 30, 1 << 30}, s[5] = {0};
    int8_t in[3 * 10] = {0}, f[5 * 10] = {0};
    int bad;
    for (bad = 0; bad < N_BAD; bad++) {
        tsk_fc_params p = {3, 0, 0, {-128, 127}, TSK_ROUND_DOUBLE};
        tsk_quant q = {m, s, 5};
        tsk_dims id = {3, 1, 1, 10}, fd = {5, 1, 1, 10}, od = {3, 1, 1, 5};
        int8_t o1[3 * 5], o2[sizeof o1];
        const int8_t *pin = in, *pf = f;
        int8_t *po1 = o1, *po2 = o2;
        const tsk_fc_params *pp = &p;
        const tsk_quant *pq = &q;
        tsk_ctx c1;
        tsk_status s1, s2;
        switch ((enum bad_arg)bad) {
        case BAD_NULL_P:
            pp = NULL;
            break;
        case BAD_NULL_Q:
            pq = NULL;
            break;
        case BAD_NULL_IN:
            pin = NULL;
            break;
        case BAD_NULL_FILTER:
            pf = NULL;
            break;
        case BAD_NULL_OUT:
            po1 = po2 = NULL;
            break;
        case BAD_STRIDE:
            id.c = 7;
            break; /* no stride: 21 inputs, not a multiple of 10 */
        case BAD_DILATION:
            fd.c = 3;
            break; /* no dilation: depth 3 means 10 batches */
        case BAD_INPUT_OFFSET:
            p.input_offset = 200;
            break;
        case BAD_ROUNDING:
            p.rounding = 7;
            break;
        case BAD_ACT:
            p.act.min = -129;
            break;
        case BAD_QUANT_N:
            q.n = 4;
            break;
        case BAD_NULL_MULT:
            q.multiplier = NULL;
            break;
        case BAD_OUT_C:
            od.c = 4;
            break;
        case BAD_BATCH:
            od.n = 2;
            break;
        case BAD_ZERO_DIM:
            fd.n = 0;
            break;
        case BAD_CH_MULT:
            id.n = -3;
            break; /* no depth multiplier: negative dimension */
        case BAD_FILTER_OFFSET:
            p.filter_offset = -128;
            break;
        case N_BAD:
            break;
        }
        memset(o1, 7, sizeof o1);
        memset(o2, 7, sizeof o2);
        s1 = tsk_fully_connected_s8(ctx_make(&c1, 4096), pp, pq, &id, pin, &fd, pf, NULL, &od, po1);
        s2 = tsk_fully_connected_s8_simd(NULL, pp, pq, &id, pin, &fd, pf, NULL, &od, po2);
        cr_assert_eq(s1, s2, "bad %d: ref %d simd %d", bad, s1, s2);
        cr_assert_eq(s1, TSK_ERR_ARG, "bad %d", bad);
        cr_assert_eq(o2[0], 7);
        free(c1.buf);
    }
}

Test(simd_variants, depthwise_simd_needs_a_tap_list_and_fully_connected_simd_no_scratch)
{
    tsk_dims id = {1, 4, 4, 3}, fd = {1, 3, 3, 3}, od = {1, 4, 4, 3}, ffd = {4, 1, 1, 7};
    tsk_dw_conv_params p = {{1, 1}, {1, 1}, {1, 1}, 1, 0, 0, {-128, 127}, TSK_ROUND_SINGLE};
    int32_t m = 1 << 30, s = 0, words[19];
    tsk_quant q = {&m, &s, 1};
    int8_t in[48] = {0}, f[27] = {0}, out[48];
    tsk_ctx small = {words, 71}, odd = {(char *)words + 1, 72};
    /* one (input offset, filter offset) int32 pair per tap of the 3x3 window */
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd_scratch_size(&id, &fd, &od), 72);
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd(NULL, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd(&small, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd(&odd, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_ERR_SCRATCH);
    small.size = 72;
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd(&small, &p, &q, &id, in, &fd, f, NULL, &od, out),
                 TSK_OK);
    cr_assert_eq(tsk_fully_connected_s8_simd_scratch_size(&ffd), 0);
    fd.w = -1;
    ffd.c = 0;
    cr_assert_eq(tsk_depthwise_conv2d_s8_simd_scratch_size(&id, &fd, &od), -1);
    cr_assert_eq(tsk_fully_connected_s8_simd_scratch_size(&ffd), -1);
    cr_assert_eq(tsk_fully_connected_s8_simd_scratch_size(NULL), -1);
}
