# CPack pre-build script (deb/Packages.cmake): strips the programs in each
# component's staging tree as dh_strip does, after copying their debug
# information out to CPACK_ATMO_DBGSYM_DIR/<component>/usr/lib/debug/.build-id/,
# which make-dbgsym.sh then packs as <package>-dbgsym. (CPack's own
# CPACK_DEBIAN_DEBUGINFO_PACKAGE writes an md5sums file with the build
# machine's absolute paths and no copyright, which lintian rejects.)
#
# It also refuses a tree that was not configured for packages: a package
# installs to /usr (Debian policy 9.1.2), and only installer/package.sh's
# tree has Debian's flags and files.
if(NOT CPACK_ATMO_DEB_PACKAGE OR NOT CPACK_PACKAGING_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "This build tree is not configured for Debian packages (prefix "
                      "${CPACK_PACKAGING_INSTALL_PREFIX}): build them with installer/package.sh")
endif()
file(REMOVE_RECURSE ${CPACK_ATMO_DBGSYM_DIR})
file(GLOB components LIST_DIRECTORIES true ${CPACK_TEMPORARY_DIRECTORY}/*)
foreach(stage IN LISTS components)
  get_filename_component(component ${stage} NAME)
  file(GLOB programs ${stage}${CPACK_PACKAGING_INSTALL_PREFIX}/bin/*)
  foreach(program IN LISTS programs)
    execute_process(COMMAND ${CPACK_ATMO_READELF} -nW ${program} OUTPUT_VARIABLE notes COMMAND_ERROR_IS_FATAL ANY)
    if(NOT notes MATCHES "Build ID: ([0-9a-f][0-9a-f])([0-9a-f]+)")
      message(FATAL_ERROR "${program}: no GNU build id (the debug symbols are found by it)")
    endif()
    set(debug ${CPACK_ATMO_DBGSYM_DIR}/${component}/usr/lib/debug/.build-id/${CMAKE_MATCH_1}/${CMAKE_MATCH_2}.debug)
    get_filename_component(debug_dir ${debug} DIRECTORY)
    file(MAKE_DIRECTORY ${debug_dir})
    execute_process(COMMAND ${CPACK_ATMO_OBJCOPY} --only-keep-debug --compress-debug-sections ${program} ${debug}
                    COMMAND_ERROR_IS_FATAL ANY)
    file(CHMOD ${debug} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
    execute_process(COMMAND ${CPACK_ATMO_STRIP} --remove-section=.comment --remove-section=.note ${program}
                    COMMAND_ERROR_IS_FATAL ANY)
    execute_process(COMMAND ${CPACK_ATMO_OBJCOPY} --add-gnu-debuglink ${debug} ${program} COMMAND_ERROR_IS_FATAL ANY)
    message(STATUS "Stripped ${component}: ${program} (symbols in ${debug})")
  endforeach()
endforeach()
