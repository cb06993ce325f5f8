# write_if_changed.cmake: ts_write_if_changed(PATH TEXT) writes TEXT to PATH unless PATH already
# holds exactly TEXT, so generated headers keep their timestamp and dependents are not rebuilt.
function(ts_write_if_changed path text)
  set(old "")
  if(EXISTS "${path}")
    file(READ "${path}" old)
  endif()
  if(NOT "${old}" STREQUAL "${text}")
    file(WRITE "${path}" "${text}")
  endif()
endfunction()
