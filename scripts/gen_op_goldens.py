#!/usr/bin/env python3
"""Golden outputs of real TFLite for tinysim's single-op models (tests/data/ops/).

usage: scripts/gen_op_goldens.py TINYSIM NPM_DIR [SHARED_DIR]

For every case below: `tinysim gen SPEC --seed SEED` writes the model, this script writes its
inputs (the rule of tests/unit/engine/engine_test.h fill_input: xorshift32 from state
seed * 0x9E3779B9, one step per element in row-major order; int8 = bits 31..24 as a byte,
float32 = -1 + 2 * (bits 31..8) / 2^24, int16 and float16 = bits 31..16 (float16: every bit
pattern, NaNs and infinities included), int32 (CAST) = that byte as the low byte), and the TensorFlow Lite interpreter (WebAssembly build
under Node, SHARED_DIR/tools/golden/tflite_run.js, default ../shared) computes the outputs.
NPM_DIR is where `npm install --save-exact @tensorflow/tfjs-tflite@0.0.1-alpha.10
@tensorflow/tfjs-core@4.9.0` was run (the runner's header). Writes tests/data/ops/CASE.in<k>.bin,
CASE.out<k>.tflite.bin (one per model output) and manifest.json with each model's SHA-256 (the models themselves go to a
temporary folder: the repository holds no model, tinysim writes them again) (and CASE.out<k>.armnn.bin from Arm NN's
reference backend, SHARED_DIR/tools/golden/armnn_run.py, when Debian's python3-pyarmnn is
installed: a second witness, recorded with its agreement, never what tinysim is held to); tests/unit/engine/test_op_golden.c
checks the host executor and every emulated core against them without Node. Deterministic:
rerunning it rewrites byte-identical files.
"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

# (spec, seed): shapes, broadcasts and (through the seed) quantization parameters per op.
CASES = [
    ("op:add,int8,1x4x4x3", 1),
    ("op:add,int8,1x4x4x3,3", 2),
    ("op:add,int8,2x1x3,1x5x1", 3),
    ("op:add,float32,1x4x4x3,1x1x1x3", 1),
    ("op:mul,int8,1x8x8x2,1x8x1x2", 1),
    ("op:mul,float32,6,1", 2),
    ("op:sub,int8,1x4x4x3", 1),
    ("op:sub,int8,1x5x5x4,4", 2),
    ("op:sub,int8,3x1x2,1x4x1", 3),
    ("op:sub,float32,1x4x4x3,1x4x1x3", 1),
    ("op:sub,float32,9", 2),
    ("op:maximum,int8,1x4x4x3", 1),
    ("op:maximum,int8,2x3x4,3x1", 2),
    ("op:maximum,float32,1x6x6x2,2", 1),
    ("op:maximum,float32,5x1,1x7", 2),
    ("op:minimum,int8,1x4x4x3", 1),
    ("op:minimum,int8,4x1x3,2x1", 2),
    ("op:minimum,float32,1x6x6x2,1x6x1x1", 1),
    ("op:minimum,float32,11", 3),
    ("op:relu,int8,1x8x8x3", 1),
    ("op:relu,int8,100", 2),
    ("op:relu,float32,1x5x5x4", 1),
    ("op:relu6,int8,1x8x8x3", 1),
    ("op:relu6,int8,2x50", 3),
    ("op:relu6,float32,1x5x5x4", 1),
    ("op:abs,int8,1x6x6x4", 1),
    ("op:abs,int8,77", 2),
    ("op:abs,float32,1x6x6x4", 1),
    ("op:neg,float32,1x6x6x4", 1),
    ("op:neg,float32,13", 2),
    ("op:transpose,int8,2x3x4,perm=2.0.1", 1),
    ("op:transpose,int8,1x4x5x3,perm=0.3.1.2", 2),
    ("op:transpose,float32,6x7,perm=1.0", 1),
    ("op:transpose,float32,2x3x4x5,perm=3.2.1.0", 2),
    ("op:squeeze,int8,1x5x1x3", 1),
    ("op:squeeze,float32,4x1x6", 2),
    ("op:expand_dims,int8,3x4,axis=0", 1),
    ("op:expand_dims,float32,2x3x4,axis=-1", 2),
    ("op:squared_difference,int8,1x4x4x3", 1),
    ("op:squared_difference,int8,1x5x5x4,4", 2),
    ("op:squared_difference,int8,3x1x2,1x4x1", 3),
    ("op:squared_difference,float32,1x4x4x3,1x4x1x3", 1),
    ("op:squared_difference,float32,9", 2),
    ("op:slice,int8,4x5x6,begin=1.0.2,size=2.-1.3", 1),
    ("op:slice,int8,1x8x8x3,begin=0.2.1.0,size=1.4.5.-1", 2),
    ("op:slice,float32,7x3,begin=2.1,size=-1.2", 1),
    ("op:slice,float32,10,begin=3,size=5", 2),
    ("op:gather,int8,5x4,indices=4.0.2.2,axis=0", 1),
    ("op:gather,int8,2x6x3,indices=5.1,axis=1", 2),
    ("op:gather,float32,3x4x5,indices=0.4.3,axis=-1", 1),
    ("op:gather,float32,7,indices=6.5.3.3,axis=0", 2),
    ("op:pack,int8,3x4,axis=0", 1),
    ("op:pack,int8,2x3x4,axis=1", 2),
    ("op:pack,float32,3x4,axis=-1", 1),
    ("op:pack,float32,5,axis=1", 2),
    ("op:leaky_relu,int8,1x8x8x3,alpha=0.2", 1),
    ("op:leaky_relu,int8,97,alpha=0.01", 2),
    ("op:leaky_relu,int8,4x25,alpha=1.5", 3),
    ("op:leaky_relu,float32,1x5x5x4,alpha=0.2", 1),
    ("op:leaky_relu,float32,33,alpha=0.3", 2),
    # TRANSPOSE_CONV: filter=OC.KH.KW[.BIAS (0: none)], stride=SH.SW[.PADDING (0 SAME, 1 VALID)]; int8 weights
    # per channel, each seed its own scales and zero points. No fused activation: this TFLite
    # build refuses TRANSPOSE_CONV version 4 ("Can't initialize model"), the version that
    # brought it (the kernel tests check the clamp by hand)
    ("op:transpose_conv,int8,1x3x3x4,filter=5.3.3,stride=2.2", 1),
    ("op:transpose_conv,int8,1x4x5x3,filter=4.2.2,stride=2.2.1", 2),
    ("op:transpose_conv,int8,2x3x3x6,filter=3.3.3,stride=1.1", 3),
    ("op:transpose_conv,int8,1x2x3x8,filter=6.3.2,stride=2.1.1", 4),
    ("op:transpose_conv,int8,1x5x4x2,filter=4.4.4,stride=3.2", 5),
    ("op:transpose_conv,int8,1x4x4x3,filter=4.3.3.0,stride=2.2", 6),  # no bias (3 inputs)
    ("op:transpose_conv,int8,1x3x5x4,filter=2.2.3.0,stride=1.2.1", 7),
    ("op:transpose_conv,float32,1x3x3x4,filter=5.3.3,stride=2.2", 1),
    ("op:transpose_conv,float32,1x4x4x2,filter=3.2.2,stride=2.2.1", 2),
    ("op:transpose_conv,float32,2x3x3x3,filter=2.3.3,stride=1.1", 3),
    ("op:transpose_conv,float32,1x3x3x2,filter=3.3.3.0,stride=2.2", 4),
    # ops-move
    ("op:split,int8,4x6,num=3,axis=1", 1),
    ("op:split,int8,2x4x3,num=2,axis=-2", 2),
    ("op:split,float32,6x2x2,num=3,axis=0", 1),
    ("op:split,float32,1x4x4x4,num=4,axis=3", 2),
    ("op:split_v,int8,4x7,sizes=2.-1.1,axis=1", 1),
    ("op:split_v,int8,5x2x3,sizes=1.4,axis=0", 2),
    ("op:split_v,float32,2x3x8,sizes=3.1.-1,axis=-1", 1),
    ("op:split_v,float32,1x6x2x2,sizes=5.1,axis=1", 2),
    ("op:unpack,int8,3x4,axis=0", 1),
    ("op:unpack,int8,2x3x5,axis=-1", 2),
    ("op:unpack,float32,4x2x3,axis=1", 1),
    ("op:unpack,float32,6,axis=0", 2),
    ("op:strided_slice,int8,6x8,begin=1.-1,end=5.0,strides=2.-2,masks=0.0.0", 1),
    ("op:strided_slice,int8,1x7x7x3,begin=0.1.0.0,end=1.6.7.3,strides=1.2.3.1,masks=0.4.0", 2),
    ("op:strided_slice,int8,4x5x6,begin=2.0.-1,end=3.5.0,strides=1.1.-1,masks=2.0.1", 3),
    ("op:strided_slice,float32,2x5x4,begin=1.0.3,end=0.5.0,strides=1.1.-1,masks=0.2.1", 1),
    ("op:strided_slice,float32,10,begin=-2,end=0,strides=-3,masks=0.1.0", 2),
    # ops-math group
    ("op:hard_swish,int8,1x8x8x3", 1),
    ("op:hard_swish,int8,97", 2),
    ("op:hard_swish,int8,4x25", 3),
    ("op:hard_swish,float32,1x5x5x4", 1),
    ("op:hard_swish,float32,33", 2),
    ("op:tanh,int8,1x8x8x3", 1),
    ("op:tanh,int8,97", 2),
    ("op:tanh,int8,4x25", 3),
    ("op:tanh,float32,1x5x5x4", 1),
    ("op:tanh,float32,33", 2),
    ("op:prelu,int8,1x6x6x3,3", 1),
    ("op:prelu,int8,1x5x5x4,1x1x4", 2),
    ("op:prelu,int8,4x9", 3),
    ("op:prelu,float32,1x5x5x4,4", 1),
    ("op:prelu,float32,2x3x7,3x1", 2),
    ("op:arg_max,int8,1x6x6x5,axis=3", 1),
    ("op:arg_max,int8,7x9,axis=0", 2),
    ("op:arg_max,float32,4x5x6,axis=-2", 1),
    ("op:arg_max,float32,3x17,axis=1", 2),
    ("op:arg_min,int8,1x6x6x5,axis=3", 1),
    ("op:arg_min,int8,7x9,axis=-2", 3),
    ("op:arg_min,float32,4x5x6,axis=0", 1),
    ("op:arg_min,float32,3x17,axis=1", 2),
    ("op:sqrt,float32,1x5x5x4", 1),
    ("op:sqrt,float32,33", 2),
    ("op:rsqrt,int8,1x8x8x3", 1),
    ("op:rsqrt,int8,97", 2),
    ("op:rsqrt,int8,4x25", 3),
    ("op:rsqrt,float32,1x5x5x4", 1),
    ("op:rsqrt,float32,33", 2),
    ("op:reduce_max,int8,1x6x6x4,axis=1.2,keep_dims=1", 1),
    ("op:reduce_max,int8,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:reduce_max,float32,2x5x6,axis=0.2,keep_dims=0", 1),
    ("op:reduce_max,float32,4x9,axis=0,keep_dims=1", 2),
    ("op:l2_normalization,int8,1x4x4x8", 1),
    ("op:l2_normalization,int8,5x33", 2),
    ("op:l2_normalization,int8,3x1", 3),
    ("op:l2_normalization,float32,1x3x3x16", 1),
    ("op:l2_normalization,float32,7x5", 2),
    ("op:div,float32,1x4x4x3,1x1x1x3", 1),
    ("op:div,float32,5x7", 2),
    ("op:div,float32,2x1x6,3x1", 3),
    ("op:sum,int8,1x6x6x4,axis=1.2,keep_dims=1", 1),
    ("op:sum,int8,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:sum,int8,4x9,axis=0,keep_dims=1", 3),
    ("op:sum,float32,2x5x6,axis=0.2,keep_dims=0", 1),
    ("op:sum,float32,4x9x3,axis=1,keep_dims=1", 2),
    ("op:batch_matmul,int8,2x3x8,2x8x5,adj=0.0", 1),
    ("op:batch_matmul,int8,2x1x4x6,3x5x6,adj=0.1", 2),
    ("op:batch_matmul,int8,7x3,7x4,adj=1.0", 3),
    ("op:batch_matmul,float32,2x3x8,8x5,adj=0.0", 1),
    ("op:batch_matmul,float32,3x6x4,3x5x6,adj=1.1", 2),
    ("op:space_to_depth,int8,1x4x6x3,block=2", 1),
    ("op:space_to_depth,int8,2x6x3x2,block=3", 2),
    ("op:space_to_depth,float32,1x4x4x1,block=4", 1),
    ("op:depth_to_space,int8,1x2x3x8,block=2", 1),
    ("op:depth_to_space,int8,2x1x2x9,block=3", 2),
    ("op:depth_to_space,float32,1x3x2x4,block=2", 1),
    ("op:resize_nearest_neighbor,int8,1x3x4x2,size=5.7,flags=0.0", 1),
    ("op:resize_nearest_neighbor,int8,2x4x4x3,size=2.3,flags=1.0", 2),
    ("op:resize_nearest_neighbor,int8,1x5x3x1,size=7.11,flags=0.1", 3),
    ("op:resize_nearest_neighbor,float32,1x4x4x1,size=3.9,flags=1.0", 1),
    ("op:resize_nearest_neighbor,float32,1x2x5x2,size=6.4,flags=0.1", 2),
    ("op:resize_nearest_neighbor,float32,1x3x3x2,size=6.6,flags=0.0", 3),
    ("op:fill,int8,3x4", 1),
    ("op:fill,int8,2x1x5", 2),
    ("op:fill,float32,1x4x4x2", 1),
    ("op:fill,float32,7", 2),
    ("op:zeros_like,float32,1x5x5x3", 1),
    ("op:zeros_like,float32,9", 2),
    ("op:shape,int8,2x3x4", 1),
    ("op:shape,float32,1x5x5x3", 1),
    ("op:shape,float32,7", 2),
    ("op:cast,int8>float32,3x4", 1),
    ("op:cast,int8>int32,2x5", 2),
    ("op:cast,int8>int16,7", 3),
    ("op:cast,int16>int8,2x6", 1),
    ("op:cast,int16>float32,9", 2),
    ("op:cast,int32>int8,8", 1),
    ("op:cast,int32>float32,2x3", 2),
    ("op:cast,float32>int8,3x5", 1),
    ("op:cast,float32>int32,6", 2),
    ("op:cast,float32>int16,4", 3),
    # recurrent layers (ops-rnn): (spec, seed, invocations in a row, state carried)
    ("op:svdf,int8,1x16,units=4,rank=2,memory=8", 1, 6),
    ("op:svdf,int8,2x12,units=3,rank=1,memory=5", 2, 7),
    ("op:svdf,int8,1x20,units=5,rank=3,memory=4,bias=0", 3, 5),
    ("op:svdf,float32,1x16,units=4,rank=2,memory=8", 1, 6),
    ("op:svdf,float32,2x10,units=3,rank=1,memory=6,act=relu", 2, 7),
    ("op:svdf,float32,1x8,units=2,rank=2,memory=3,bias=0,act=relu6", 3, 5),
    ("op:svdf,float32,1x6,units=3,rank=1,memory=16", 4, 20),
    # UNIDIRECTIONAL_SEQUENCE_LSTM float32 (ops-lstm): BATCHxTIMExINPUT, 3 invocations each
    ("op:lstm,float32,1x8x10,units=16", 1, 3),
    ("op:lstm,float32,2x5x6,units=8", 2, 3),
    ("op:lstm,float32,3x4x5,units=7,time_major=1", 3, 3),
    ("op:lstm,float32,2x6x4,units=5,clip=0.5", 4, 3),
    # 16x8 quantization: int16 activations, int8 weights, int64 bias
    ("op:fully_connected,int16,2x20,units=7", 1),
    ("op:fully_connected,int16,1x300,units=5", 2),
    ("op:fully_connected,int16,3x2x9,units=4", 3),
    ("op:conv_2d,int16,1x6x6x3,filter=3.3.4,stride=1.1", 1),
    ("op:conv_2d,int16,1x7x5x8,filter=3.2.3,stride=2.1.1", 2),
    ("op:conv_2d,int16,2x5x5x2,filter=1.1.5,stride=2.2", 3),
    ("op:depthwise_conv_2d,int16,1x6x6x4,filter=3.3.1,stride=1.1", 1),
    ("op:depthwise_conv_2d,int16,1x7x6x3,filter=3.3.2,stride=2.2.1", 2),
    ("op:depthwise_conv_2d,int16,1x5x5x5,filter=5.5.1,stride=1.1", 3),
    # TRANSPOSE_CONV 16x8: SAME, VALID, no bias (3 inputs); that build refuses version 4 (a
    # fused activation), as for int8
    ("op:transpose_conv,int16,1x3x3x4,filter=5.3.3,stride=2.2", 1),
    ("op:transpose_conv,int16,1x4x5x3,filter=4.2.2,stride=2.2.1", 2),
    ("op:transpose_conv,int16,2x3x3x6,filter=3.3.3.0,stride=1.1", 3),
    ("op:transpose_conv,int16,1x5x4x2,filter=4.4.4,stride=3.2", 4),
    ("op:quantize,float32,2x20,to=16", 1),
    ("op:quantize,float32,33,to=8", 2),
    ("op:quantize,float32,1x4x4x3,to=16", 3),
    ("op:quantize,int8,40,to=8", 2),
    ("op:quantize,int8,3x7,to=8", 3),
    ("op:quantize,int16,40,to=8", 1),
    ("op:quantize,int16,5x6,to=16", 2),
    ("op:quantize,int16,4x6,to=32", 3),
    ("op:quantize,int16,77,to=16", 4),
    ("op:dequantize,int16,2x9", 1),
    ("op:dequantize,int8,17", 2),
    ("op:dequantize,float16,1x300", 1),
    ("op:dequantize,float16,7x9", 2),
    ("op:add,int16,1x4x4x3", 1),
    ("op:add,int16,1x5x5x4,4", 2),
    ("op:add,int16,2x1x3,1x5x1", 3),
    ("op:sub,int16,1x4x4x3", 1),
    ("op:sub,int16,3x1x2,1x4x1", 2),
    ("op:mul,int16,1x8x8x2,1x8x1x2", 1),
    ("op:mul,int16,6,1", 2),
    ("op:mul,int16,2x3x4", 3),
    ("op:average_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2", 1),
    ("op:average_pool_2d,int16,1x7x5x4,filter=3.3,stride=1.1", 2),
    ("op:average_pool_2d,int16,2x5x6x2,filter=3.2,stride=2.1.1", 3),
    ("op:max_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2", 1),
    ("op:max_pool_2d,int16,1x7x5x4,filter=3.3,stride=1.1", 2),
    ("op:max_pool_2d,int16,2x5x6x2,filter=3.2,stride=2.1.1", 3),
    ("op:pad,int16,1x3x4x2,paddings=0.0.1.2.2.0.0.1", 1),
    ("op:pad,int16,5x3,paddings=2.1.0.3", 2),
    ("op:concatenation,int16,2x3x4,2x5x4,axis=1", 1),
    ("op:concatenation,int16,3x4,axis=-1", 2),
    ("op:pack,int16,3x4,axis=0", 1),
    ("op:squeeze,int16,1x5x1x3", 1),
    ("op:expand_dims,int16,3x4,axis=0", 2),
    # 16x8, continued (int16b)
    ("op:leaky_relu,int16,1x8x8x3,alpha=0.2", 1),
    ("op:leaky_relu,int16,97,alpha=0.01", 2),
    ("op:leaky_relu,int16,4x25,alpha=1.5", 3),
    ("op:strided_slice,int16,6x8,begin=1.-1,end=5.0,strides=2.-2,masks=0.0.0", 1),
    ("op:strided_slice,int16,1x7x7x3,begin=0.1.0.0,end=1.6.7.3,strides=1.2.3.1,masks=0.4.0", 2),
    ("op:strided_slice,int16,2x6x5x4,begin=1.1.4.0,end=2.6.0.4,strides=1.2.-2.3,masks=8.0.1", 4),
    ("op:shape,int16,2x3x4", 1),
    # RESIZE_BILINEAR: size=H.W[,flags=align_corners.half_pixel_centers]; up- and down-scaling,
    # non-square, both options (half_pixel_centers upscaling reaches coordinates below 0)
    ("op:resize_bilinear,int8,1x4x4x3,size=8.8", 1),
    ("op:resize_bilinear,int8,1x6x5x2,size=3.4,flags=1.0", 2),
    ("op:resize_bilinear,int8,2x3x5x2,size=7.4,flags=0.1", 3),
    ("op:resize_bilinear,int8,1x3x3x4,size=7.5,flags=0.1", 4),
    ("op:resize_bilinear,float32,1x4x4x2,size=7.9", 1),
    ("op:resize_bilinear,float32,1x5x7x3,size=3.4,flags=0.1", 2),
    ("op:resize_bilinear,float32,1x3x4x1,size=5.6,flags=1.0", 3),
    ("op:mean,int16,1x8x8x16,axis=1.2,keep_dims=1", 1),
    ("op:mean,int16,2x5x7x3,axis=1.2,keep_dims=1", 2),
    ("op:mean,int16,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:mean,int16,2x5x6,axis=0.2,keep_dims=0", 3),
    ("op:mean,int16,4x9,axis=0,keep_dims=1", 4),
    ("op:mean,int16,2x4x4x3,axis=1.2,keep_dims=0", 5),
    ("op:mean,int16,1x6x5x4,axis=3,keep_dims=1", 6),
    ("op:mean,int16,1x5x4x3,axis=-3.-2,keep_dims=1", 7),  # TFLite: not the literal (1, 2)
    ("op:mean,int16,3x4x5,axis=0.2,keep_dims=0", 14),  # seed 14: equal scales (SAME)
    # MEAN int8 and float32 (gen writes op:mean since MEAN int16)
    ("op:mean,int8,1x8x8x16,axis=1.2,keep_dims=1", 1),
    ("op:mean,int8,5x7x3,axis=-1,keep_dims=0", 2),
    ("op:mean,int8,2x5x6,axis=0.2,keep_dims=0", 3),
    ("op:mean,int8,4x9,axis=0,keep_dims=1", 4),
    ("op:mean,float32,1x6x6x4,axis=1.2,keep_dims=1", 1),
    ("op:mean,float32,2x5x6,axis=0.2,keep_dims=0", 3),
    # int16 SOFTMAX (16x8): input scale 2^E (scale=E) or seeded, beta as TFLite's option
    ("op:softmax,int16,4x64,scale=-12", 1),
    ("op:softmax,int16,4x64,scale=-14", 2),
    ("op:softmax,int16,2x3x17", 3),
    ("op:softmax,int16,3x100,scale=-10,beta=2.5", 4),
    ("op:softmax,int16,1x1000,scale=-8,beta=0.3", 5),
    # SOFTMAX int8 -> int16 (out=int16: scale 1/65536, zero point -32768): TFLite's float table
    ("op:softmax,int8,4x64,scale=-4,out=int16", 1),
    ("op:softmax,int8,2x3x17,out=int16", 2),
    ("op:softmax,int8,3x100,scale=-6,beta=2.5,out=int16", 3),
    ("op:softmax,int8,1x1000,scale=-3,beta=0.3,out=int16", 4),
    ("op:softmax,int8,1x4x4x10,out=int16", 5),
    ("op:softmax,int8,8x32,scale=-7,beta=0.7,out=int16", 6),
    # rows where float and double arithmetic round differently (6 and 1 elements): TFLite's
    # single-precision sum, reciprocal and product are what tinysim must equal
    ("op:softmax,int8,1x1000,scale=-4,out=int16", 5),
    ("op:softmax,int8,16x64,scale=-4,beta=1.5,out=int16", 2),
    # int16 LOGISTIC and TANH (16x8): the power-of-two input scales of TFLite's gemmlowp path
    ("op:logistic,int16,4x256,scale=-12", 1),
    ("op:logistic,int16,1x8x8x16,scale=-12", 2),
    ("op:tanh,int16,4x256,scale=-12", 1),
    ("op:tanh,int16,2x300,scale=-11", 2),
    ("op:tanh,int16,1x6x6x8,scale=-12", 3),
    # ... and TFLite's sigmoid-table path for every other input scale: seeded (k/32768,
    # k = 4..16) and powers of two other than the gemmlowp ones, small to saturating
    ("op:logistic,int16,4x256", 1),
    ("op:logistic,int16,2x3x50", 2),
    ("op:logistic,int16,1x8x8x16", 3),
    ("op:logistic,int16,4x256,scale=-10", 4),
    ("op:logistic,int16,4x256,scale=-15", 5),
    ("op:logistic,int16,2x300,scale=0", 6),
    ("op:tanh,int16,4x256", 1),
    ("op:tanh,int16,2x3x50", 2),
    ("op:tanh,int16,1x6x6x8", 4),
    ("op:tanh,int16,4x256,scale=-13", 4),
    ("op:tanh,int16,4x256,scale=-9", 5),
    ("op:tanh,int16,2x300,scale=0", 6),
    # 8,192 inputs over the table's whole range: changing any one of the 256 knots by 1
    # changes at least one output (TANH reads the table at its own precision)
    ("op:tanh,int16,8x1024,scale=-10", 7),
    # UNIDIRECTIONAL_SEQUENCE_LSTM int8, TFLite's 8x8_16 integer LSTM (ops-lstm8): 3 invocations
    ("op:lstm,int8,1x8x10,units=16", 1, 3),
    ("op:lstm,int8,2x5x6,units=8", 2, 3),
    ("op:lstm,int8,3x4x5,units=7,time_major=1", 3, 3),
    ("op:lstm,int8,2x6x4,units=5,clip=0.5", 4, 3),
    # fused activations (act=none|relu|relu6|relu_n1_to_1): each op x dtype with RELU6 and RELU
    # or RELU_N1_TO_1; the output quantization does not depend on act, so the clamp bites
    # (op_golden/every_fused_activation_case_clamps_some_outputs checks it). float32 ADD, SUB,
    # MUL and the pools take inputs in [-1, 1): only RELU6's lower bound is reached there
    ("op:add,int8,1x4x4x3,act=relu6", 1),
    ("op:add,int8,2x1x3,1x5x1,act=relu", 3),
    ("op:add,int16,1x4x4x3,act=relu6", 1),
    ("op:add,int16,1x5x5x4,4,act=relu_n1_to_1", 2),
    ("op:add,float32,1x4x4x3,1x1x1x3,act=relu6", 1),
    ("op:add,float32,9,act=relu", 2),
    ("op:sub,int8,1x4x4x3,act=relu6", 1),
    ("op:sub,int8,1x5x5x4,4,act=relu_n1_to_1", 2),
    ("op:sub,int16,1x4x4x3,act=relu6", 1),
    ("op:sub,int16,3x1x2,1x4x1,act=relu", 2),
    ("op:sub,float32,1x4x4x3,1x4x1x3,act=relu6", 1),
    ("op:sub,float32,9,act=relu_n1_to_1", 2),
    ("op:mul,int8,1x8x8x2,1x8x1x2,act=relu6", 1),
    ("op:mul,int8,2x3x4,act=relu", 2),
    ("op:mul,int16,1x8x8x2,1x8x1x2,act=relu6", 1),
    ("op:mul,int16,2x3x4,act=relu_n1_to_1", 3),
    ("op:mul,float32,1x4x4x3,act=relu6", 1),
    ("op:mul,float32,2x3x4,act=relu", 1),
    ("op:div,float32,1x4x4x3,1x1x1x3,act=relu6", 1),
    ("op:div,float32,5x7,act=relu_n1_to_1", 2),
    ("op:conv_2d,int8,1x6x6x3,filter=3.3.4,stride=1.1,act=relu6", 1),
    ("op:conv_2d,int8,1x7x5x8,filter=3.2.3,stride=2.1.1,act=relu", 2),
    ("op:conv_2d,int16,1x6x6x3,filter=3.3.4,stride=1.1,act=relu6", 1),
    ("op:conv_2d,int16,1x7x5x8,filter=3.2.3,stride=2.1.1,act=relu_n1_to_1", 2),
    ("op:conv_2d,float32,1x6x6x3,filter=3.3.4,stride=1.1,act=relu6", 1),
    ("op:conv_2d,float32,2x5x5x2,filter=1.1.5,stride=2.2,act=relu", 3),
    ("op:depthwise_conv_2d,int8,1x6x6x4,filter=3.3.1,stride=1.1,act=relu6", 1),
    ("op:depthwise_conv_2d,int8,1x7x6x3,filter=3.3.2,stride=2.2.1,act=relu_n1_to_1", 2),
    ("op:depthwise_conv_2d,int16,1x6x6x4,filter=3.3.1,stride=1.1,act=relu6", 1),
    ("op:depthwise_conv_2d,int16,1x7x6x3,filter=3.3.2,stride=2.2.1,act=relu", 2),
    ("op:depthwise_conv_2d,float32,1x6x6x4,filter=3.3.1,stride=1.1,act=relu6", 1),
    ("op:depthwise_conv_2d,float32,1x5x5x5,filter=5.5.1,stride=1.1,act=relu_n1_to_1", 3),
    ("op:fully_connected,int8,2x20,units=7,act=relu6", 1),
    ("op:fully_connected,int8,3x2x9,units=4,act=relu", 3),
    ("op:fully_connected,int16,2x20,units=7,act=relu6", 1),
    ("op:fully_connected,int16,1x300,units=5,act=relu_n1_to_1", 2),
    ("op:fully_connected,float32,2x20,units=7,act=relu6", 1),
    ("op:fully_connected,float32,3x2x9,units=4,act=relu", 3),
    ("op:average_pool_2d,int8,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:average_pool_2d,int8,1x7x5x4,filter=3.3,stride=1.1,act=relu", 2),
    ("op:average_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:average_pool_2d,int16,1x7x5x4,filter=3.3,stride=1.1,act=relu_n1_to_1", 2),
    ("op:average_pool_2d,float32,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:average_pool_2d,float32,1x7x5x4,filter=3.3,stride=1.1,act=relu", 2),
    ("op:max_pool_2d,int8,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:max_pool_2d,int8,1x7x5x4,filter=3.3,stride=1.1,act=relu_n1_to_1", 2),
    ("op:max_pool_2d,int16,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:max_pool_2d,int16,2x5x6x2,filter=3.2,stride=2.1.1,act=relu", 3),
    ("op:max_pool_2d,float32,1x6x6x3,filter=2.2,stride=2.2,act=relu6", 1),
    ("op:max_pool_2d,float32,2x5x6x2,filter=2.1,stride=1.1,act=relu", 3),
    # CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED int8 and float32 (weights per channel, FC per
    # tensor, unless weights= says otherwise)
    ("op:conv_2d,int8,1x6x6x3,filter=3.3.4,stride=1.1", 1),
    ("op:conv_2d,int8,1x5x5x4,filter=3.3.3,stride=2.2,weights=per_tensor", 2),
    ("op:conv_2d,float32,1x6x6x3,filter=3.3.4,stride=1.1", 1),
    ("op:depthwise_conv_2d,int8,1x6x6x4,filter=3.3.2,stride=1.1", 1),
    ("op:depthwise_conv_2d,int8,1x5x5x3,filter=3.3.1,stride=1.1.1,weights=per_tensor", 2),
    ("op:depthwise_conv_2d,float32,1x6x6x4,filter=3.3.2,stride=2.2", 2),
    ("op:fully_connected,int8,2x20,units=7", 1),
    ("op:fully_connected,int8,1x30,units=5,weights=per_channel", 2),
    ("op:fully_connected,float32,2x20,units=7", 2),
    # 16x8 weight layouts other than the defaults: per-channel FC, per-tensor CONV/DEPTHWISE
    ("op:fully_connected,int16,2x20,units=7,weights=per_channel", 1),
    ("op:fully_connected,int16,3x2x9,units=4,weights=per_channel,act=relu6", 3),
    ("op:conv_2d,int16,1x6x6x3,filter=3.3.4,stride=1.1,weights=per_tensor", 1),
    ("op:conv_2d,int16,1x7x5x8,filter=3.2.3,stride=2.1.1,weights=per_tensor,act=relu", 2),
    ("op:depthwise_conv_2d,int16,1x6x6x4,filter=3.3.1,stride=1.1,weights=per_tensor", 1),
    ("op:depthwise_conv_2d,int16,1x7x6x3,filter=3.3.2,stride=2.2.1,weights=per_tensor", 2),
    # RESHAPE: the new shape as a constant input (one -1 inferred)
    ("op:reshape,int8,1x4x4x3,shape=2.-1.3", 1),
    ("op:reshape,int8,2x3x4,shape=24", 2),
    ("op:reshape,int16,1x4x4x3,shape=4.12", 1),
    ("op:reshape,int16,2x3x4,shape=-1.2.2.3", 2),
    ("op:reshape,float32,6x4,shape=2.2.-1.3", 1),
    ("op:reshape,float32,30,shape=5.6", 2),
]

# int8 ops where the TFLite runtime above does not compute what tinysim's default does: op, or
# (op, input dtype) for any dtype, -> (largest difference allowed, in LSB of the output, why,
# and what tinysim must then equal bit for bit: "armnn" (Arm NN's output), "double_rounding"
# (TFLite's output, with tinysim's --rounding double), or what TFLite's output must equal bit
# for bit: "xnnpack_bilinear" (tests/unit/engine/resize_xnnpack.h), or None).
TOLERANCE_LSB = {
    "mul": (1, "XNNPACK's qs8 multiply requantizes the product in fp32 (product * scale, "
               "rounded to nearest even); TFLite's reference MUL, which tinysim follows, uses "
               "the fixed-point MultiplyByQuantizedMultiplier (round half away from zero). "
               "They differ by 1 LSB where the real result lies near a half step; Arm NN's "
               "reference backend (dequantize, multiply, quantize in float) is a third answer",
            None),
    "leaky_relu": (1, "XNNPACK's qs8 leaky ReLU approximates the slope in its own fixed point "
                      "and is off by 1 LSB from the correctly rounded result in a few elements "
                      "(e.g. real -22.54 -> -22); TFLite's reference QuantizeLeakyRelu, which "
                      "tinysim follows, rounds correctly there, and so does Arm NN's reference "
                      "backend, which tinysim must equal exactly",
                   "armnn"),
    "squared_difference": (1, "this TFLite build runs its builtin SQUARED_DIFFERENCE kernel, "
                              "compiled with double rounding (gemmlowp SaturatingRoundingDoubling"
                              "HighMul then RoundingDivideByPOT); tinysim's default is the "
                              "single-rounding build's MultiplyByQuantizedMultiplier, 1 LSB off "
                              "where a result lies near a half step (real -108.499 -> -109); "
                              "with --rounding double tinysim equals TFLite bit for bit",
                           "double_rounding"),
    "lstm": (1, "this TFLite build runs its builtin integer LSTM (lstm_eval.cc "
                "EvalInteger8x8_16; XNNPACK does not take it), compiled with double rounding "
                "(gemmlowp SaturatingRoundingDoublingHighMul then RoundingDivideByPOT) in its "
                "nine requantisations (the eight gate matmuls into Q3.12 and the hidden "
                "state); tinysim's default single rounding is 1 LSB off where a value lies "
                "near a half step, and the recurrence carries it into later steps; with "
                "--rounding double tinysim equals TFLite bit for bit",
             "double_rounding"),
    "svdf": (1, "this TFLite build runs its builtin integer SVDF (reference_ops::EvalIntegerSVDF; "
                "XNNPACK does not take SVDF), compiled with double rounding (gemmlowp "
                "SaturatingRoundingDoublingHighMul then RoundingDivideByPOT) in both "
                "requantisations, feature sum to int16 state and time sum to int8 output; "
                "tinysim's default single rounding is 1 LSB off where a value lies near a half "
                "step, and the int16 state carries such a difference into later invocations; "
                "with --rounding double tinysim equals TFLite bit for bit",
             "double_rounding"),
    "transpose_conv": (1, "this TFLite build runs its builtin TRANSPOSE_CONV kernel, compiled "
                          "with double rounding (as its SQUARED_DIFFERENCE); tinysim's default "
                          "is the single-rounding MultiplyByQuantizedMultiplier, 1 LSB off where "
                          "an accumulator lies near a half step (2 elements of the s6 case); "
                          "with --rounding double tinysim equals TFLite bit for bit, and in the "
                          "default mode it equals Arm NN's reference backend on the cases "
                          "without bias (Arm NN 20.08 takes no bias input)",
                       "double_rounding"),
    "prelu": (1, "this TFLite build runs its builtin PRELU kernel (alpha is not constant: no "
                 "XNNPACK), compiled with double rounding (MultiplyByQuantizedMultiplier as "
                 "SaturatingRoundingDoublingHighMul then RoundingDivideByPOT); tinysim's default "
                 "single rounding is 1 LSB off where a result lies near a half step (3 of 244 "
                 "elements); with --rounding double tinysim equals TFLite bit for bit",
              "double_rounding"),
    ("quantize", "int8"): (1, "XNNPACK converts int8 to int8 in fp32 ((x - zp) * scale ratio, "
                              "rounded to nearest even); TFLite's reference Requantize, which "
                              "tinysim follows, uses the fixed-point MultiplyByQuantizedMultiplier "
                              "and is 1 LSB off where a result lies near a half step; Arm NN's "
                              "reference backend computes what tinysim does, bit for bit",
                           "armnn"),
    ("leaky_relu", "int16"): (1, "XNNPACK takes no int16 LEAKY_RELU: this TFLite build runs its "
                                 "builtin reference QuantizeLeakyRelu<int16_t>, compiled with "
                                 "double rounding (gemmlowp SaturatingRoundingDoublingHighMul then "
                                 "RoundingDivideByPOT); tinysim's default is the single-rounding "
                                 "MultiplyByQuantizedMultiplier, 1 LSB off where a result lies "
                                 "near a half step; with --rounding double tinysim equals TFLite "
                                 "bit for bit",
                              "double_rounding"),
    ("softmax", "int16"): (1, "this TFLite build runs its int16 SoftmaxInt16, whose scaling of "
                              "the input differences (MultiplyByQuantizedMultiplier) is compiled "
                              "with double rounding; tinysim's default single rounding can move "
                              "a scaled difference by 1, and the interpolated exp table with it "
                              "(6 of 256 elements 1 LSB off in the s2 case); with --rounding "
                              "double tinysim equals TFLite bit for bit. Arm NN 20.08 computes "
                              "the softmax in float and is up to 190 LSB from TFLite's tables",
                           "double_rounding"),
    ("quantize", "int16"): (1, "this TFLite build runs its builtin Requantize for int16 inputs, "
                               "compiled with double rounding; tinysim's default is the "
                               "single-rounding MultiplyByQuantizedMultiplier, 1 LSB off near a "
                               "half step; with --rounding double tinysim equals TFLite bit for "
                               "bit",
                            "double_rounding"),
    "resize_bilinear": (1, "this TFLite build delegates RESIZE_BILINEAR to XNNPACK, whose s8 "
                           "resize-bilinear takes the tap coordinates in float32, weights of 11 "
                           "fractional bits (lrintf(alpha * 2048)), interpolates each row pair "
                           "horizontally, then vertically, and rounds once ((acc + 2^21) >> 22); "
                           "TFLite's reference ResizeBilinearInteger, which tinysim follows, "
                           "weighs in 10 fractional bits from a scale rounded to 1/1024 and "
                           "rounds the 2^-20 sum once: 1 LSB apart where a result lies near a "
                           "half step (9 of 468 elements). TFLite's output equals XNNPACK's "
                           "arithmetic bit for bit (exact witness xnnpack_bilinear, "
                           "tests/unit/engine/resize_xnnpack.h)",
                        "xnnpack_bilinear"),
}

# float32 ops whose TFLite output is not summed in the order of TFLite's reference kernel, which
# tinysim follows: op -> (largest absolute difference allowed, why, the order TFLite's output
# must equal bit for bit: "xnnpack_order", tests/unit/engine/tconv_xnnpack.h, or
# "xnnpack_bilinear", tests/unit/engine/resize_xnnpack.h).
TOLERANCE_ABS = {
    "transpose_conv": (1e-6, "this TFLite build runs TRANSPOSE_CONV through XNNPACK's f32 "
                             "deconvolution, which sums each output in its own order: four lane "
                             "accumulators (lane 0 starting at the bias, lane j taking the "
                             "input channels j mod 4), taps in (ky, kx) order, then (lane 0 + "
                             "lane 2) + (lane 1 + lane 3); TFLite's output equals that sum bit "
                             "for bit (exact witness xnnpack_order). tinysim follows TFLite's "
                             "reference TransposeConv scatter order (input pixel, input channel, "
                             "tap), pinned by kernel tests; sums of at most 36 products of "
                             "magnitude below 1 differ by a few float32 roundings (2.4e-7 "
                             "observed)", "xnnpack_order"),
    "resize_bilinear": (2.5e-7, "this TFLite build delegates RESIZE_BILINEAR to XNNPACK, whose "
                                "f32 resize-bilinear interpolates as top = t + (r - t) * ax, "
                                "bottom likewise, out = top + (bottom - top) * ay (TFLite's "
                                "output equals that bit for bit: exact witness "
                                "xnnpack_bilinear, tests/unit/engine/resize_xnnpack.h); TFLite's "
                                "reference ResizeBilinear, which tinysim follows, sums the four "
                                "weighted taps t * (1 - ay) * (1 - ax) + ...: inputs of "
                                "magnitude below 1 give results a few float32 roundings apart "
                                "(8.9e-8 observed)", "xnnpack_bilinear"),
    "conv_2d": (4e-6, "this TFLite build runs float32 CONV_2D through XNNPACK's f32 "
                      "convolution (igemm), which sums each output's products in its own order "
                      "(lanes of input channels, bias first); TFLite's reference Conv, which "
                      "tinysim follows, sums taps then channels in order onto the bias. Results "
                      "of up to 27 products reaching magnitude 15 (gen's float32 weights are "
                      "+-16/sqrt(fan-in)) differ by a few float32 roundings (1.0e-6 observed; "
                      "Arm NN's reference backend, another order, up to 1.9e-6 from TFLite); no "
                      "runtime computes tinysim's order, so tests/unit/kernels/"
                      "test_float_kernels.c holds the kernel to a double-precision convolution",
                None),
    "depthwise_conv_2d": (4e-6, "as conv_2d: XNNPACK's f32 depthwise convolution sums the taps "
                                "in its own order (1.6e-6 observed on 25 taps); tests/unit/"
                                "kernels/test_float_kernels.c holds tinysim to a "
                                "double-precision depthwise convolution", None),
    "fully_connected": (4e-6, "as conv_2d: XNNPACK's f32 fully-connected (gemm) sums the row in "
                              "its own order (4.8e-7 observed on 20 products); tests/unit/"
                              "kernels/test_float_kernels.c holds tinysim to a double-precision "
                              "product", None),
    "average_pool_2d": (2.5e-7, "this TFLite build runs float32 AVERAGE_POOL_2D through "
                                "XNNPACK, which sums the window in its own order and multiplies "
                                "by the reciprocal of the count; TFLite's reference AveragePool, "
                                "which tinysim follows, sums in order and divides (6e-8 "
                                "observed on inputs below 1); tests/unit/kernels/"
                                "test_float_kernels.c holds tinysim to a double-precision "
                                "average", None),
    "lstm": (2e-7, "this TFLite build runs UNIDIRECTIONAL_SEQUENCE_LSTM with its builtin float "
                   "kernel, whose gate matrix products go through its optimized (Eigen/SIMD) "
                   "tensor_utils, summing in another order than TFLite's portable loop that "
                   "tinysim follows, and whose sigmoid and tanh are not tinysim's libm-free "
                   "ones (a few ULP apart); near zero ULP tolerances fail, so the bound is "
                   "absolute, on outputs of magnitude below 1 carried through 3 invocations of "
                   "state; no runtime computes tinysim's order, so there is no exact witness: "
                   "tests/unit/kernels/test_lstm.c holds tinysim to a double-precision LSTM "
                   "instead", None),
}

# float32 ops where the TFLite runtime above does not compute TFLite's reference float kernel
# (the XNNPACK delegate reorders the arithmetic, or a transcendental comes from another libm):
# op -> (largest difference allowed, in units in the last place, why, and "armnn" when Arm NN's
# reference backend must then equal tinysim bit for bit, or None).
TOLERANCE_ULP = {
    "hard_swish": (2, "XNNPACK's f32 hard swish computes (x * 0x1.555556p-3) * min(max(x + 3, "
                      "0), 6) (it matches this TFLite build bit for bit); TFLite's reference "
                      "HardSwish, which tinysim follows, computes x * min(max(x + 3, 0), 6) / 6, "
                      "up to 2 ULP apart; Arm NN's reference backend computes the latter and "
                      "equals tinysim exactly",
                   "armnn"),
    "tanh": (5, "a transcendental: TFLite's reference TANH calls std::tanh, this build runs "
                "XNNPACK's rational approximation (up to 3 ULP from the correctly rounded tanh "
                "in these cases) and Arm NN its libm's; tinysim's libm-free tanh (kernels/"
                "tanh.c) is within 2 ULP of the correctly rounded value for |x| from 4.7e-10 to "
                "10 (tests/unit/kernels/test_ops_math.c sweeps it; beyond 9.1 it is exactly "
                "+-1), so 5 ULP bounds the "
                "distance to TFLite; no runtime is an exact witness",
             None),
    "mean": (4, "this TFLite build runs float32 MEAN through XNNPACK where XNNPACK takes it, "
                "summing in its own order: 3 ULP from the sequential sum over H and W of the "
                "1x6x6x4 case, 0 on the 2x5x6 one; TFLite's reference Mean, which tinysim "
                "follows, sums the elements in order and divides by the count, and so does Arm "
                "NN's reference backend, which tinysim must equal exactly",
             "armnn"),
}

RUNTIME = ("TensorFlow Lite interpreter, WebAssembly build with the XNNPACK delegate "
           "(npm @tensorflow/tfjs-tflite 0.0.1-alpha.10, @tensorflow/tfjs-core 4.9.0), "
           "run by ../shared/tools/golden/tflite_run.js")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "tests", "data", "ops")


def op_of(case):
    return case["spec"].split(":", 1)[1].split(",")[0]


def case_name(spec, seed):
    return (spec.replace(":", "_").replace(",", "_").replace("=", "").replace(">", "to") +
            "_s%d" % seed)


def input_shapes(spec):
    """dtype and the input shapes of op:NAME,DTYPE,SHAPE[,SHAPE] (binary ops: see gen_ops.c)."""
    fields = spec.split(":", 1)[1].split(",")
    if fields[0] in RECURRENT:  # one input, BATCHxINPUT or BATCHxTIMExINPUT (sim/gen/gen_rnn.c)
        shape = [int(d) for d in fields[2].split("x")]
        if "time_major=1" in fields[3:]:  # the LSTM's input is [TIME, BATCH, INPUT] then
            shape[0], shape[1] = shape[1], shape[0]
        return fields[1], [shape]
    shapes = [[int(d) for d in f.split("x")] if "=" not in f else None for f in fields[2:]]
    shapes = [s for s, f in zip(shapes, fields[2:]) if "=" not in f]
    if fields[0] == "fill":  # SHAPE is the output's; the input is the scalar value
        return fields[1], [[]]
    if fields[0] == "dequantize" and fields[1] == "float16":  # constant weights, no input
        return fields[1], []
    if fields[0] == "cast":  # DTYPE is FROM>TO: the input is FROM
        return fields[1].split(">")[0], [[int(d) for d in fields[2].split("x")]]
    binary = fields[0] in BINARY
    if binary and len(shapes) == 1:
        shapes.append(shapes[0])
    return fields[1], shapes


def n_outputs(spec):
    """Output count of op:NAME,...: ops with several outputs have one file each (out0, ...)."""
    fields = spec.split(":", 1)[1].split(",")
    params = dict(f.split("=", 1) for f in fields[2:] if "=" in f)
    if fields[0] == "split":
        return int(params["num"])
    if fields[0] == "split_v":
        return len(params["sizes"].split("."))
    if fields[0] == "unpack":
        shape = [int(d) for d in fields[2].split("x")]
        return shape[int(params["axis"])]
    return 1


RECURRENT = {"svdf", "lstm"}
BINARY = {"add", "mul", "sub", "maximum", "minimum", "squared_difference", "pack", "prelu",
          "concatenation", "div", "batch_matmul"}


WIDTH = {"int16": 2, "int32": 4}


def xorshift(s):
    s ^= (s << 13) & 0xFFFFFFFF
    s ^= s >> 17
    s ^= (s << 5) & 0xFFFFFFFF
    return s


def inputs_of(dtype, shapes, seed, invocations=1):
    """Each input's bytes for every invocation: the stream runs through the inputs of one
    invocation, then the next's; input k's file holds its invocations one after the other."""
    state = (seed * 0x9E3779B9) & 0xFFFFFFFF
    out = [bytearray() for _ in shapes]
    for _ in range(invocations):
        for k, shape in enumerate(shapes):
            n = 1
            for d in shape:
                n *= d
            for _ in range(n):
                state = xorshift(state)
                if dtype == "float32":
                    out[k] += struct.pack("<f", -1.0 + 2.0 * (state >> 8) / 16777216.0)
                elif dtype in ("int16", "float16"):  # float16: every bit pattern
                    out[k] += struct.pack("<H", state >> 16)
                else:  # int8; int32 (CAST) gets the byte in its low byte, then zeros
                    out[k].append(state >> 24)
                    out[k] += bytes(WIDTH.get(dtype, 1) - 1)
    return [bytes(b) for b in out]


def run_runner(cmd, jobs, required=True):
    """Runs a golden runner on jobs; returns its per-job results (a required runtime's failure
    ends the script)."""
    with tempfile.TemporaryDirectory() as tmp:
        jobs_path, result_path = os.path.join(tmp, "jobs.json"), os.path.join(tmp, "result.json")
        with open(jobs_path, "w") as f:
            json.dump(jobs, f)
        subprocess.run(cmd + [jobs_path, result_path], check=True, stderr=subprocess.DEVNULL)
        with open(result_path) as f:
            results = json.load(f)
    for job, res in zip(jobs, results):
        if required and not res.get("ok"):
            sys.exit("gen_op_goldens.py: %s: the runtime failed: %s" % (job["model"],
                                                                        res.get("error")))
    return results


def output_dtype(spec):
    """The output dtype: the input's, but QUANTIZE's to=BITS and DEQUANTIZE's float32."""
    fields = spec.split(":", 1)[1].split(",")
    to = [f[3:] for f in fields if f.startswith("to=")]
    if fields[0] == "dequantize":
        return "float32"
    return {"8": "int8", "16": "int16", "32": "int32"}[to[0]] if to else fields[1].split(">")[-1]


def agreement(case):
    """How the Arm NN outputs compare with TFLite's (integers: LSB; float32: absolute), all
    outputs taken together."""
    a = b"".join(open(os.path.join(OUT_DIR, p), "rb").read() for p in case["outputs"])
    b = b"".join(open(os.path.join(OUT_DIR, p), "rb").read() for p in case["armnn_outputs"])
    dtype = output_dtype(case["spec"])
    if dtype == "float32":
        fa = struct.unpack("<%df" % (len(a) // 4), a)
        fb = struct.unpack("<%df" % (len(b) // 4), b)
        diff = [abs(x - y) for x, y in zip(fa, fb)]
        return {"agree_exact": a == b, "n_differ": sum(d != 0 for d in diff),
                "max_abs_diff": max(diff)}
    fmt = {"int16": "<%dh" % (len(a) // 2), "int32": "<%di" % (len(a) // 4)}.get(
        dtype, "%db" % len(a))
    diff = [abs(x - y) for x, y in zip(struct.unpack(fmt, a), struct.unpack(fmt, b))]
    return {"agree_exact": a == b, "n_differ": sum(d != 0 for d in diff),
            "max_abs_diff_lsb": max(diff)}


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    tinysim, npm_dir = sys.argv[1], sys.argv[2]
    shared = sys.argv[3] if len(sys.argv) == 4 else os.path.join(ROOT, "..", "shared")
    runner = os.path.join(shared, "tools", "golden", "tflite_run.js")
    os.makedirs(OUT_DIR, exist_ok=True)
    model_dir = tempfile.mkdtemp(prefix="tinysim-op-models-")
    jobs, cases, seq_jobs = [], [], []
    for spec, seed, *rest in CASES:
        invocations = rest[0] if rest else 1
        name = case_name(spec, seed)
        model = os.path.join(model_dir, name + ".tflite")  # not committed: tinysim writes it
        subprocess.run([tinysim, "gen", spec, "--seed", str(seed), "-o", model], check=True,
                       stdout=subprocess.DEVNULL)
        dtype, shapes = input_shapes(spec)
        ins = []
        for k, data in enumerate(inputs_of(dtype, shapes, seed, invocations)):
            ins.append(name + ".in%d.bin" % k)
            with open(os.path.join(OUT_DIR, ins[-1]), "wb") as f:
                f.write(data)
        outs = [name + ".out%d.tflite.bin" % k for k in range(n_outputs(spec))]
        job = {"model": model, "inputs": [os.path.join(OUT_DIR, p) for p in ins],
               "outputs": [os.path.join(OUT_DIR, p) for p in outs]}
        if invocations > 1:  # one interpreter invoked again and again (the state carries)
            job["invocations"] = invocations
        (seq_jobs if invocations > 1 else jobs).append(job)
        with open(model, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        cases.append({"name": name, "spec": spec, "seed": seed,
                      "dtype": spec.split(":", 1)[1].split(",")[1],
                      "model_sha256": sha, "inputs": ins,
                      "outputs": outs, "runtime": "tflite"})
        if invocations > 1:
            cases[-1]["invocations"] = invocations
            cases[-1]["runtime"] = "tflite, invoked %d times in a row" % invocations
        op = spec.split(":", 1)[1].split(",")[0]
        tol = TOLERANCE_LSB.get((op, dtype)) or (TOLERANCE_LSB.get(op) if dtype == "int8"
                                                 else None)
        if tol:
            lsb, why, exact = tol
            cases[-1]["tolerance_lsb"], cases[-1]["tolerance_reason"] = lsb, why
            if exact:
                cases[-1]["exact_with"] = exact
        if dtype == "float32" and op in TOLERANCE_ABS:
            tol, why, exact = TOLERANCE_ABS[op]
            cases[-1]["tolerance_abs"], cases[-1]["tolerance_reason"] = tol, why
            if exact:
                cases[-1]["exact_with"] = exact
        if dtype == "float32" and op in TOLERANCE_ULP:
            ulp, why, exact = TOLERANCE_ULP[op]
            cases[-1]["tolerance_ulp"], cases[-1]["tolerance_reason"] = ulp, why
            if exact:
                cases[-1]["exact_with"] = exact
    run_runner(["node", runner, npm_dir], jobs)
    if seq_jobs:
        run_runner(["node", os.path.join(ROOT, "scripts", "tflite_run_invocations.js"), npm_dir],
                   seq_jobs)
    armnn = os.path.join(shared, "tools", "golden", "armnn_run.py")
    if subprocess.run(["/usr/bin/python3", "-c", "import pyarmnn"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode == 0:
        single = [c for c in cases if "invocations" not in c]
        for case in cases:
            if "invocations" in case:  # Arm NN 20.08 has neither SVDF nor variable tensors
                case["armnn_error"] = ("not run: Arm NN 20.08 has no variable tensors, and its "
                                       "TfLite parser refuses UNIDIRECTIONAL_SEQUENCE_LSTM "
                                       "('Operator not supported')" if op_of(case) == "lstm" else
                                       "not run: Arm NN 20.08 has no SVDF and no variable tensors")
        for job, case in zip(jobs, single):
            case["armnn_outputs"] = [p.replace(".tflite.bin", ".armnn.bin")
                                     for p in case["outputs"]]
            job["outputs"] = [os.path.join(OUT_DIR, p) for p in case["armnn_outputs"]]
        for case, job in zip(single, jobs):  # one process per case: Arm NN may crash
            try:
                res = run_runner(["/usr/bin/python3", armnn], [job], False)[0]
            except subprocess.CalledProcessError as e:
                res = {"ok": False, "error": "armnn_run.py exited with status %d" % e.returncode}
            if res.get("ok"):
                case["armnn_agreement"] = agreement(case)
            elif case.get("exact_with") == "armnn":
                sys.exit("gen_op_goldens.py: %s: Arm NN, its exact witness, failed" % case["name"])
            else:  # Arm NN 20.08 lacks some operators (ABS): no second witness
                for out in job["outputs"]:  # what a crashed run left half-written
                    if os.path.exists(out):
                        os.remove(out)
                del case["armnn_outputs"]
                case["armnn_error"] = res.get("error", "failed").split(" at function")[0]
    manifest = {"generated_by": "scripts/gen_op_goldens.py (do not edit)", "runtime": RUNTIME,
                "input_rule": "xorshift32 from seed * 0x9E3779B9; int8 = bits 31..24, "
                              "int16 and float16 = bits 31..16, int32 = bits 31..24 as the "
                              "low byte "
                              "(little-endian), upper bytes 0, "
                              "float32 = -1 + 2 * (bits 31..8) / 2^24",
                "armnn_runtime": "Arm NN 20.08, TfLite parser, CpuRef backend (Debian "
                                 "python3-pyarmnn), run by ../shared/tools/golden/armnn_run.py",
                "cases": cases}
    with open(os.path.join(OUT_DIR, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    shutil.rmtree(model_dir)


if __name__ == "__main__":
    main()
