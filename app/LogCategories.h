// The station's logging categories, one per area. Each shows warnings by
// default; QT_LOGGING_RULES picks more ("atmosphere.mesh.download.debug=true"),
// `atmosphere -v` shows every line of every area, and `atmosphere serve`
// turns on its access log (atmosphere.mesh.server at info). The CLI prints
// them as "atmosphere: <category>: <line>" on stderr, which journald keeps.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcPackage)      // atmosphere.package: build, verify, install phases
Q_DECLARE_LOGGING_CATEGORY(lcUsb)          // atmosphere.usb: each drive's write, flush, read-back, eject
Q_DECLARE_LOGGING_CATEGORY(lcMeshServer)   // atmosphere.mesh.server: one access line per reply
Q_DECLARE_LOGGING_CATEGORY(lcMeshDownload) // atmosphere.mesh.download: sources, chunks, peer problems
Q_DECLARE_LOGGING_CATEGORY(lcMdns)         // atmosphere.mdns: peers found, resolved and lost
Q_DECLARE_LOGGING_CATEGORY(lcRelay)        // atmosphere.relay: the relay link's states
