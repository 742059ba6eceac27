# sp_harness_run: running conformance tests (*.spt) against targets. Included from
# harness/CMakeLists.txt; builds on the packet codecs in sp_harness.
#   suite/    the test format: data structure and parser
#   match/    matching IUT packets against expectations, building injected packets
#   agent/    the agent protocol: commands, the client, the agents' command loop
#   engine/   the executor: events in time order against a Target, verdicts
#   netns/    namespaces, sysctls, interface ioctls, TUN/TAP, netlink (sock_diag, neighbours)
#   target/   the Linux kernel as a Target
#   profile/  target profiles: known deviations from the RFCs
#   runner/   forked workers in parallel, environment checks, signals, result transport
#   report/   diffs, summary, JUnit XML, results JSON, pcap
set(SP_HARNESS_RUN_SOURCES
  agent/client.cpp
  agent/linux_driver.cpp
  agent/protocol.cpp
  agent/serve.cpp
  suite/lex.cpp
  suite/parse.cpp
  suite/suite.cpp
  suite/steps.cpp
  match/arp_match.cpp
  match/tcp_match.cpp
  engine/executor.cpp
  engine/isn_check.cpp
  netns/connection.cpp
  netns/user_open.cpp
  netns/netlink.cpp
  netns/netns.cpp
  netns/parent.cpp
  target/agent_target.cpp
  target/linux_target.cpp
  target/lwip_target.cpp
  profile/profile.cpp
  profile/timer_parameters.cpp
  runner/realtime.cpp
  runner/runner.cpp
  runner/suite_run.cpp
  runner/targets.cpp
  runner/wire.cpp
  report/compare.cpp
  report/diff.cpp
  report/json.cpp
  report/junit.cpp
  report/pcap.cpp
  report/stream.cpp
  report/msc.cpp
)
list(TRANSFORM SP_HARNESS_RUN_SOURCES PREPEND ${CMAKE_CURRENT_LIST_DIR}/)

# The default profile of each target is compiled in, so the binary runs anywhere.
file(READ ${CMAKE_CURRENT_LIST_DIR}/targets/linux.profile SP_LINUX_PROFILE)
file(READ ${CMAKE_CURRENT_LIST_DIR}/targets/lwip.profile SP_LWIP_PROFILE)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_LIST_DIR}/targets/linux.profile ${CMAKE_CURRENT_LIST_DIR}/targets/lwip.profile)
configure_file(${CMAKE_CURRENT_LIST_DIR}/targets/builtin_profiles.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/builtin_profiles.cpp @ONLY)

add_library(sp_harness_run ${SP_HARNESS_RUN_SOURCES} ${CMAKE_CURRENT_BINARY_DIR}/builtin_profiles.cpp)
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(sp_harness_run PUBLIC sp_harness sp_util PRIVATE PkgConfig::PCAP nlohmann_json::nlohmann_json)
target_compile_definitions(sp_harness_run INTERFACE STATEPROOF_HAVE_HARNESS_RUN=1)

# The Linux agent (harness/agent/linux_agent_main.cpp): the kernel of its namespace over
# the agent protocol, the upper tester of `--target raw:IFACE` against a Linux stack.
add_executable(stateproof-linux-agent ${CMAKE_CURRENT_LIST_DIR}/agent/linux_agent_main.cpp)
target_link_libraries(stateproof-linux-agent PRIVATE sp_harness_run)
set_target_properties(stateproof-linux-agent PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

include(${CMAKE_CURRENT_LIST_DIR}/lwip_agent/lwip_agent.cmake)
# Where the lwip target finds its driver when it is not beside the running binary.
target_compile_definitions(sp_harness_run PRIVATE STATEPROOF_LWIP_AGENT_PATH="${SP_LWIP_AGENT_PATH}"
                           STATEPROOF_LINUX_AGENT_PATH="${PROJECT_BINARY_DIR}/stateproof-linux-agent")
