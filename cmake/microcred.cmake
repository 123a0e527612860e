# mc_library(NAME SRCS ... DEPS ...): a library of ours, warnings on.
function(mc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(${name} ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${MC_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# mc_unit_test(NAME SRCS ... DEPS ... [LABELS ...] [RUN_SERIAL]): a GoogleTest binary, labelled
# "unit" (runs without services) unless LABELS says otherwise. RUN_SERIAL for tests that must
# not share the services with another test (e.g. they FLUSHALL a Redis).
function(mc_unit_test name)
  cmake_parse_arguments(ARG "RUN_SERIAL" "" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${MC_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  set(serial FALSE)
  if(ARG_RUN_SERIAL)
    set(serial TRUE)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${labels}" RUN_SERIAL ${serial}
                       DISCOVERY_TIMEOUT 60)
endfunction()

# mc_executable(NAME SRCS ... DEPS ...)
function(mc_executable name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${MC_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()
