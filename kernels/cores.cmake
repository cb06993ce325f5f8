# kernels/cores.cmake: arm-none-eabi-gcc flags per Cortex-M core profile, one table for the
# kernel archives (kernels/CMakeLists.txt) and the firmware that links them (kernels/firmware):
# an archive's float ABI must match its firmware's, which the linker checks.
# ISA and FPU per core: Arm Cortex-M0/M0+ (ARMv6-M, no FPU), M3 (ARMv7-M, no FPU), M4 (ARMv7E-M,
# FPv4-SP), M7 (ARMv7E-M, FPv5 double precision), M33 (ARMv8-M Mainline, FPv5-SP).
set(TS_CORE_FLAGS_cortex-m0 -mcpu=cortex-m0 -mthumb -mfloat-abi=soft)
set(TS_CORE_FLAGS_cortex-m0plus -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft)
set(TS_CORE_FLAGS_cortex-m3 -mcpu=cortex-m3 -mthumb -mfloat-abi=soft)
set(TS_CORE_FLAGS_cortex-m4 -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard)
set(TS_CORE_FLAGS_cortex-m7 -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard)
set(TS_CORE_FLAGS_cortex-m33 -mcpu=cortex-m33 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard)
# Code generation shared by every firmware object (kernels and dispatcher).
set(TS_FW_CODEGEN -O2 -ffreestanding -ffunction-sections -fdata-sections -std=c11)
