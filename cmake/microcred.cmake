# mc_library(NAME SRCS ... DEPS ... [PRIVATE_DEPS ...]): a library of ours, warnings on. DEPS are
# what its headers expose (its users get them too); PRIVATE_DEPS are used by its sources only.
# Which include goes where is checked by tests/layers/check_layers.py: every library exports the
# repository root, so the include paths alone cannot stop a wrong-way include.
function(mc_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} ${ARG_SRCS})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${MC_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  if(ARG_PRIVATE_DEPS)
    target_link_libraries(${name} PRIVATE ${ARG_PRIVATE_DEPS})
  endif()
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

# mc_raw_string_literal(VAR FILE): sets VAR to the content of FILE as a C++ raw string literal,
# for data compiled into a library (so it needs no file at run time). CMake re-configures when
# FILE changes.
function(mc_raw_string_literal var file)
  file(READ ${file} content)
  string(FIND "${content}" ")mcdata\"" delimiter_at)
  if(NOT delimiter_at EQUAL -1)
    message(FATAL_ERROR "${file} contains the raw-string delimiter )mcdata\"")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  set(${var} "R\"mcdata(${content})mcdata\"" PARENT_SCOPE)
endfunction()

# mc_add_subdirectories(): adds every sub-folder of the current one that has a CMakeLists.txt,
# in name order, so a new library, service or test folder needs no edit elsewhere.
function(mc_add_subdirectories)
  file(GLOB children LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}
       ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT children)
  foreach(child ${children})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${child}/CMakeLists.txt)
      add_subdirectory(${child})
    endif()
  endforeach()
endfunction()
