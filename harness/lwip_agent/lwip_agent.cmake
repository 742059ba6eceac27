# stateproof-lwip-agent: lwIP on a TAP device over the agent protocol, the driver of
# `--target lwip`. Built only when Debian's liblwip-dev is there (pkg-config lwip);
# without it the lwip target says so and exits 3.
pkg_check_modules(LWIP IMPORTED_TARGET lwip)
if(LWIP_FOUND)
  add_executable(stateproof-lwip-agent
    ${CMAKE_CURRENT_LIST_DIR}/main.cpp
    ${CMAKE_CURRENT_LIST_DIR}/lwip_driver.cpp)
  target_link_libraries(stateproof-lwip-agent PRIVATE sp_harness_run PkgConfig::LWIP Threads::Threads)
  # lwIP's headers are C with unused parameters and old-style casts in macros.
  target_compile_options(stateproof-lwip-agent PRIVATE -Wno-unused-parameter -Wno-missing-field-initializers)
  set_target_properties(stateproof-lwip-agent PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
  set(SP_LWIP_AGENT_PATH ${PROJECT_BINARY_DIR}/stateproof-lwip-agent)
else()
  message(STATUS "liblwip-dev not found: stateproof-lwip-agent (--target lwip) not built")
  set(SP_LWIP_AGENT_PATH "")
endif()
