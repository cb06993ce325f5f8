/* bench_common.h: what the speed benchmarks (bench_host, bench_core) share: the four MLPerf
 * Tiny models they time, where the shared data is, and a monotonic clock. Layer: bench/.
 * Include after defining _POSIX_C_SOURCE (clock_gettime). */
#ifndef TS_BENCH_COMMON_H
#define TS_BENCH_COMMON_H

#include <time.h>

#ifndef TS_SHARED_DIR
#define TS_SHARED_DIR "../shared"
#endif

/* The MLPerf Tiny reference models, as named in SHARED/models/NAME.tflite. */
static const char *const mlperf_models[] = {"kws_ds_cnn_int8", "vww_mobilenetv1_int8",
                                            "ic_resnet8_int8", "ad_autoencoder_int8"};
#define N_MLPERF_MODELS (sizeof mlperf_models / sizeof mlperf_models[0])

/* Seconds on the monotonic clock. */
static inline double bench_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#endif
