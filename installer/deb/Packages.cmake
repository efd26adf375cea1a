# The Debian packages, made by CPack from the install components
# (installer/CMakeLists.txt): `atmosphere` (component cli) and, in a build
# with the GUI, `atmosphere-station` (component station). installer/package.sh
# builds them with Debian's hardening flags, adds a -dbgsym package of each
# one's debug symbols and checks them all (installer/check-debs.sh).
#
# Why CPack and not debian/ with dpkg-buildpackage: the packages come from the
# same CMake build and install rules as everything else (one build tree, no
# second description of what goes where to keep in step), CI makes them with
# one more `cmake --build` instead of a second build driven by debhelper, and
# the source keeps its top-level layout. What debhelper would add on its own
# is done here by hand and checked by lintian in CI: stripping into -dbgsym
# (as dh_strip and dh_gencontrol do), compressed manual pages and changelog,
# copyright, the hardening flags (installer/package.sh passes
# dpkg-buildflags), and the maintainer scripts for the systemd unit
# (deb/atmosphere/postinst, prerm, postrm).

set(ATMO_DEB_DIR ${CMAKE_CURRENT_SOURCE_DIR}/deb)
# The files only a Debian package has (its copyright and changelog in
# /usr/share/doc, README.Debian, the lintian overrides) are installed when
# building the packages (installer/package.sh turns this on), not by a
# plain `cmake --install`.
option(ATMO_DEB_PACKAGE "Install the Debian packages' own files (installer/package.sh)" OFF)
set(ATMO_DEB_MAINTAINER "Atmosphere Station developers <maintainers@users.noreply.b-seed-6ce6854d.example>")

# /usr/share/doc/<package>: the copyright (Debian's machine-readable
# format), the changelog (compressed with gzip -9n, as policy asks), and for
# the CLI a README.Debian on running the service.
if(ATMO_DEB_PACKAGE)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/deb/changelog.gz
    COMMAND ${CMAKE_COMMAND} -E copy ${ATMO_DEB_DIR}/changelog ${CMAKE_CURRENT_BINARY_DIR}/deb/changelog
    COMMAND ${ATMO_GZIP} -9nf ${CMAKE_CURRENT_BINARY_DIR}/deb/changelog
    DEPENDS ${ATMO_DEB_DIR}/changelog
    COMMENT "Compressing the Debian changelog")
  add_custom_target(deb-changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/deb/changelog.gz)
  set(ATMO_DEB_PACKAGES cli atmosphere)
  if(ATMO_BUILD_GUI)
    list(APPEND ATMO_DEB_PACKAGES station atmosphere-station)
  endif()
  while(ATMO_DEB_PACKAGES)
    list(POP_FRONT ATMO_DEB_PACKAGES component package)
    install(FILES ${ATMO_DEB_DIR}/copyright ${CMAKE_CURRENT_BINARY_DIR}/deb/changelog.gz
            DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${package} COMPONENT ${component})
  endwhile()
  install(FILES ${ATMO_DEB_DIR}/README.Debian DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/atmosphere COMPONENT cli)
  install(FILES ${ATMO_DEB_DIR}/atmosphere.lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
          RENAME atmosphere COMPONENT cli)
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME atmosphere-station)
set(CPACK_PACKAGE_VENDOR "Atmosphere")
set(CPACK_PACKAGE_CONTACT "${ATMO_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL cli)
if(ATMO_BUILD_GUI)
  list(APPEND CPACK_COMPONENTS_ALL station)
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE atmosphere-station)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ATMO_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The programs are stripped in the staging tree, their symbols kept for the
# -dbgsym packages (deb/strip-into-dbgsym.cmake, deb/make-dbgsym.sh).
set(CPACK_PRE_BUILD_SCRIPTS ${ATMO_DEB_DIR}/strip-into-dbgsym.cmake)
set(CPACK_ATMO_DBGSYM_DIR ${CMAKE_BINARY_DIR}/dbgsym)
set(CPACK_ATMO_DEB_PACKAGE ${ATMO_DEB_PACKAGE})
set(CPACK_ATMO_OBJCOPY ${CMAKE_OBJCOPY})
set(CPACK_ATMO_STRIP ${CMAKE_STRIP})
set(CPACK_ATMO_READELF ${CMAKE_READELF})
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_CLI_PACKAGE_NAME atmosphere)
set(CPACK_DEBIAN_CLI_DESCRIPTION "provisioning tool for the Atmosphere edge mesh
Atmosphere provisions the devices of an Atmosphere edge mesh in places with
little or no network: factories, field depots, air-gapped sites. This is its
command-line tool, `atmosphere`, the part a gateway or a script needs:
 - build signed .atmo packages of a mission (configuration, model weights
   per hardware tier, agents, tools and knowledge) and verify any package:
   its Ed25519 signatures (minisign-compatible), chain of custody and every
   file's SHA-256;
 - install a package safely, with a version check and rollback;
 - write packages to several USB drives at once, verified after writing;
 - take part in the LAN mesh as a full peer: discover peers over mDNS,
   download their models with resume and verification, and serve this
   station's models and packages (`atmosphere serve`, with a systemd unit).
The desktop application is in the package atmosphere-station.")
# Loaded or run at run time, which dpkg-shlibdeps cannot see: avahi-daemon
# answers mDNS, udisks2 ejects and powers off drives, minisign checks a
# signature by hand.
set(CPACK_DEBIAN_CLI_PACKAGE_RECOMMENDS "avahi-daemon, udisks2")
# 0.1.0 was one package, atmosphere-station, holding the CLI too: this one
# takes its files over (Debian policy 7.6.1).
set(CPACK_DEBIAN_CLI_PACKAGE_BREAKS "atmosphere-station (<< 0.2.0~)")
set(CPACK_DEBIAN_CLI_PACKAGE_REPLACES "atmosphere-station (<< 0.2.0~)")
set(CPACK_DEBIAN_CLI_PACKAGE_SUGGESTS "minisign")
set(CPACK_DEBIAN_CLI_PACKAGE_CONTROL_EXTRA
    ${ATMO_DEB_DIR}/atmosphere/postinst ${ATMO_DEB_DIR}/atmosphere/prerm ${ATMO_DEB_DIR}/atmosphere/postrm)

set(CPACK_DEBIAN_STATION_PACKAGE_NAME atmosphere-station)
set(CPACK_DEBIAN_STATION_PACKAGE_SECTION x11)
set(CPACK_DEBIAN_STATION_DESCRIPTION "provisioning station for the Atmosphere edge mesh
Atmosphere Station is the desktop application a technician uses to
provision the devices of an Atmosphere edge mesh in places with little or
no network: factories, field depots, air-gapped sites. With it one can:
 - build signed .atmo packages of a mission per hardware tier, with a
   wizard;
 - open any package and see at a glance whether its signatures, its chain
   of custody and every file check out, then install it safely;
 - write packages to several USB drives at once, verified after writing,
   and eject them;
 - browse the models that peers on the LAN mesh offer and download them
   with progress, resume and verification;
 - make signing keys and keep the trust store of mesh keys.
The command-line tool is in the package atmosphere.")
# Loaded at run time, which dpkg-shlibdeps cannot see: Qt's SVG plugins draw
# every icon. Recommended: the command-line tool, the Wayland platform
# plugin (without it the window runs through XWayland), Qt's own strings in
# German (dialog and wizard buttons), xdg-open for "Open folder", mDNS and
# eject as for the CLI.
set(CPACK_DEBIAN_STATION_PACKAGE_DEPENDS "libqt6svg6")
set(CPACK_DEBIAN_STATION_PACKAGE_RECOMMENDS
    "atmosphere (= ${PROJECT_VERSION}), qt6-wayland, qt6-translations-l10n, xdg-utils, avahi-daemon, udisks2")
set(CPACK_DEBIAN_STATION_PACKAGE_SUGGESTS "minisign")

include(CPack)
