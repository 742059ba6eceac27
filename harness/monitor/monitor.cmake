# sp_monitor: `stateproof monitor`, checking captured traffic against a role of a spec
# (docs/monitor.md). Unlike the rest of harness/ it reads the spec's IR: it runs the role
# on what a capture shows. Included from harness/CMakeLists.txt.
#   capture    libpcap reading, link layers off
#   flow       connections by 4-tuple
#   wire_map   segments as values of the spec's message
#   role_system, tracker   the role's possible configurations
#   tcp_side   one side of one connection: start, check, verdict
#   monitor    the capture split into connections, results as connections end
#   report, pcap_out       text, JSON, --pcap-out
set(SP_MONITOR_SOURCES capture.cpp flow.cpp wire_map.cpp role_system.cpp tracker.cpp tcp_side.cpp monitor.cpp
    report.cpp pcap_out.cpp)
list(TRANSFORM SP_MONITOR_SOURCES PREPEND ${CMAKE_CURRENT_LIST_DIR}/)
add_library(sp_monitor ${SP_MONITOR_SOURCES})
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(sp_monitor PUBLIC sp_harness sp_ir sp_util PRIVATE PkgConfig::PCAP nlohmann_json::nlohmann_json)
target_compile_definitions(sp_monitor INTERFACE STATEPROOF_HAVE_MONITOR=1)
# bench/monitor.sh's capture generator (not installed).
add_executable(monitor_bench_capture ${PROJECT_SOURCE_DIR}/bench/monitor_capture.cpp)
set_target_properties(monitor_bench_capture PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
