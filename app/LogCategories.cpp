#include "app/LogCategories.h"

Q_LOGGING_CATEGORY(lcPackage, "atmosphere.package", QtWarningMsg)
Q_LOGGING_CATEGORY(lcUsb, "atmosphere.usb", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMeshServer, "atmosphere.mesh.server", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMeshDownload, "atmosphere.mesh.download", QtWarningMsg)
Q_LOGGING_CATEGORY(lcMdns, "atmosphere.mdns", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRelay, "atmosphere.relay", QtWarningMsg)
