# sp_harness_run: running conformance tests (*.spt) against targets. Included from
# harness/CMakeLists.txt; builds on the packet codecs in sp_harness.
#   suite/    the test format: data structure and parser
#   match/    matching IUT packets against expectations, building injected packets
#   engine/   the executor: events in time order against a Target, verdicts
#   netns/    namespaces, sysctls, interface ioctls, TUN/TAP, netlink (sock_diag, neighbours)
#   target/   the Linux kernel as a Target
#   profile/  target profiles: known deviations from the RFCs
#   runner/   forked workers in parallel, environment checks, signals, result transport
#   report/   diffs, summary, JUnit XML, results JSON, pcap
set(SP_HARNESS_RUN_SOURCES
  suite/lex.cpp
  suite/parse.cpp
  suite/suite.cpp
  match/arp_match.cpp
  match/tcp_match.cpp
  engine/executor.cpp
  netns/netlink.cpp
  netns/netns.cpp
  target/linux_target.cpp
  profile/profile.cpp
  runner/runner.cpp
  runner/suite_run.cpp
  runner/wire.cpp
  report/diff.cpp
  report/json.cpp
  report/junit.cpp
  report/pcap.cpp
)
list(TRANSFORM SP_HARNESS_RUN_SOURCES PREPEND ${CMAKE_CURRENT_LIST_DIR}/)

# The default profile of each target is compiled in, so the binary runs anywhere.
file(READ ${CMAKE_CURRENT_LIST_DIR}/targets/linux.profile SP_LINUX_PROFILE)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_LIST_DIR}/targets/linux.profile)
configure_file(${CMAKE_CURRENT_LIST_DIR}/targets/builtin_profiles.cpp.in
               ${CMAKE_CURRENT_BINARY_DIR}/builtin_profiles.cpp @ONLY)

add_library(sp_harness_run ${SP_HARNESS_RUN_SOURCES} ${CMAKE_CURRENT_BINARY_DIR}/builtin_profiles.cpp)
target_link_libraries(sp_harness_run PUBLIC sp_harness PRIVATE PkgConfig::PCAP)
target_compile_definitions(sp_harness_run INTERFACE STATEPROOF_HAVE_HARNESS_RUN=1)
