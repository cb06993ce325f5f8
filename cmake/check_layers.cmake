# check_layers.cmake: checks the #include lines of sim/ against the layering of
# sim/CMakeLists.txt (TS_SIM_LAYERS). Run as
#   cmake -DSIM=<sim folder> -DLAYERS="<row>|<row>..." -P check_layers.cmake
# where a row is "module:used module used module...". Fails (one line per offence, then a
# FATAL_ERROR) when a file of sim/<m>/
#   - includes with a "../" path (which would bypass the include directories), or
#   - includes "<x>/..." for a module x that m does not reach through the graph.
# The compiler catches the second case for every file it compiles (each module library sees only
# its own and its uses' folders); this script also covers headers and tables no source includes.

cmake_minimum_required(VERSION 3.20)

if(NOT SIM OR NOT LAYERS)
  message(FATAL_ERROR "usage: cmake -DSIM=DIR -DLAYERS=ROWS -P check_layers.cmake")
endif()

string(REPLACE "|" ";" rows "${LAYERS}")
set(modules "")
foreach(row ${rows})
  string(REGEX REPLACE ":.*" "" m "${row}")
  string(REGEX REPLACE "^[^:]*:" "" uses "${row}")
  string(REPLACE " " ";" uses "${uses}")
  list(APPEND modules ${m})
  set(uses_${m} ${uses})
endforeach()

# reach_<m>: m and every module below it, transitively (rows are listed bottom up, so the rows
# a module uses were closed before it).
foreach(m ${modules})
  set(reach_${m} ${m})
  foreach(u ${uses_${m}})
    list(APPEND reach_${m} ${u} ${reach_${u}})
  endforeach()
  list(REMOVE_DUPLICATES reach_${m})
endforeach()

set(bad 0)
file(GLOB_RECURSE files RELATIVE ${SIM} ${SIM}/*.c ${SIM}/*.h ${SIM}/*.def)
foreach(f ${files})
  string(REGEX REPLACE "/.*" "" m "${f}")
  if(NOT m IN_LIST modules)
    message("sim/${f}: module ${m} is not in TS_SIM_LAYERS (sim/CMakeLists.txt)")
    math(EXPR bad "${bad} + 1")
    continue()
  endif()
  file(STRINGS ${SIM}/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line ${lines})
    string(REGEX REPLACE "^[^\"]*\"([^\"]*)\".*" "\\1" path "${line}")
    if(path MATCHES "^\\.\\./")
      message("sim/${f}: #include \"${path}\": no \"../\" paths (write \"<module>/<file>\")")
      math(EXPR bad "${bad} + 1")
    elseif(path MATCHES "^([a-z_]+)/")
      set(x ${CMAKE_MATCH_1})
      if(x IN_LIST modules AND NOT x IN_LIST reach_${m})
        message("sim/${f}: #include \"${path}\": sim/${m} may not use sim/${x} "
                "(it reaches: ${reach_${m}})")
        math(EXPR bad "${bad} + 1")
      endif()
    endif()
  endforeach()
endforeach()

if(bad GREATER 0)
  message(FATAL_ERROR "check_layers: ${bad} include(s) against the layering of sim/CMakeLists.txt")
endif()
list(LENGTH files n)
message("check_layers: ${n} files of sim/ follow the layering")
