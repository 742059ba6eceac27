# Installation and the Debian package (`cpack -G DEB` in the build directory): the
# binaries, the agents, the shipped specs, the documentation, and a man page per
# subcommand made at build time from the binary's --help (scripts/manpage.sh).
include(GNUInstallDirs)

set(STATEPROOF_SUBCOMMANDS show export simulate run gen check replay diff monitor)
set(STATEPROOF_MAN_DIR ${PROJECT_BINARY_DIR}/man)
set(STATEPROOF_MAN_PAGES ${STATEPROOF_MAN_DIR}/stateproof.1)
add_custom_command(OUTPUT ${STATEPROOF_MAN_DIR}/stateproof.1
  COMMAND ${CMAKE_COMMAND} -E make_directory ${STATEPROOF_MAN_DIR}
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/manpage.sh $<TARGET_FILE:stateproof> ${STATEPROOF_MAN_DIR}/stateproof.1
  DEPENDS stateproof ${PROJECT_SOURCE_DIR}/scripts/manpage.sh VERBATIM)
foreach(sub ${STATEPROOF_SUBCOMMANDS})
  set(page ${STATEPROOF_MAN_DIR}/stateproof-${sub}.1)
  add_custom_command(OUTPUT ${page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${STATEPROOF_MAN_DIR}
    COMMAND ${PROJECT_SOURCE_DIR}/scripts/manpage.sh $<TARGET_FILE:stateproof> ${page} ${sub}
    DEPENDS stateproof ${PROJECT_SOURCE_DIR}/scripts/manpage.sh VERBATIM)
  list(APPEND STATEPROOF_MAN_PAGES ${page})
endforeach()
add_custom_target(manpages ALL DEPENDS ${STATEPROOF_MAN_PAGES})

install(TARGETS stateproof RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
foreach(agent stateproof-linux-agent stateproof-lwip-agent)
  if(TARGET ${agent})
    install(TARGETS ${agent} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
install(DIRECTORY spec/ DESTINATION ${CMAKE_INSTALL_DATADIR}/stateproof/spec)
file(GLOB STATEPROOF_DOCS ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${STATEPROOF_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${STATEPROOF_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME stateproof)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "protocol model checker and conformance test generator, with a runner against real stacks")
set(CPACK_PACKAGE_CONTACT "stateproof maintainers <stateproof@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)  # Depends: from the binaries' libraries (dpkg-shlibdeps)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "iproute2, graphviz, spin")
set(CPACK_STRIP_FILES ON)
include(CPack)
