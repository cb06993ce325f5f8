# firmware.cmake: builds small bare-metal test ELFs with arm-none-eabi-gcc at build time.
# ts_firmware(OUT_VAR NAME CPU cortex-m4 [FPU] FLASH 0x08000000 RAM 0x20000000 RAM_SIZE 0x4000
#             SOURCES a.S b.c [DEFS X=1 ...]) -> ${CMAKE_BINARY_DIR}/fw/NAME.elf in OUT_VAR.
# Used by tests/unit/core and bench/ (bench_core). Sources are relative to tests/fw/.
find_program(TS_ARM_GCC arm-none-eabi-gcc)
set(TS_FW_SRC ${CMAKE_SOURCE_DIR}/tests/fw)
set(TS_FW_DIR ${CMAKE_BINARY_DIR}/fw)

function(ts_firmware out name)
  cmake_parse_arguments(F "FPU" "CPU;FLASH;RAM;RAM_SIZE;OPT" "SOURCES;DEFS" ${ARGN})
  if(NOT TS_ARM_GCC)
    message(FATAL_ERROR "arm-none-eabi-gcc not found (needed for the core tests' firmware)")
  endif()
  set(elf ${TS_FW_DIR}/${name}.elf)
  if(NOT F_OPT)
    set(F_OPT -O2)
  endif()
  set(flags -mcpu=${F_CPU} -mthumb ${F_OPT} -g -ffreestanding -nostdlib -nostartfiles
      -fno-builtin -Wall)
  if(F_FPU)
    list(APPEND flags -mfpu=fpv4-sp-d16 -mfloat-abi=hard -DHAVE_FPU)
  endif()
  set(srcs "")
  foreach(s ${F_SOURCES})
    list(APPEND srcs ${TS_FW_SRC}/${s})
  endforeach()
  set(defs "")
  foreach(d ${F_DEFS})
    list(APPEND defs -D${d})
  endforeach()
  add_custom_command(OUTPUT ${elf}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${TS_FW_DIR}
    COMMAND ${TS_ARM_GCC} ${flags} ${defs} -T ${TS_FW_SRC}/link.ld
            -Wl,--defsym=FLASH_ORIGIN=${F_FLASH} -Wl,--defsym=RAM_ORIGIN=${F_RAM}
            -Wl,--defsym=RAM_SIZE=${F_RAM_SIZE} -o ${elf} ${srcs}
    DEPENDS ${srcs} ${TS_FW_SRC}/link.ld ${TS_FW_SRC}/semihost.h
    COMMENT "firmware ${name}.elf (${F_CPU})"
    VERBATIM)
  set(${out} ${elf} PARENT_SCOPE)
endfunction()
