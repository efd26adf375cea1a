// A RelayClient::Config from what the station home holds: its node key (the
// node id), the remembered membership (<home>/station/relay.json,
// core/relay/relay_membership.h) and, for a founder, the mesh key that makes
// the founder proof. One place for `atmosphere serve`, `mesh status`,
// `mesh register|join` and the window.
#pragma once

#include <QString>

#include <optional>

#include "app/relay/RelayClient.h"
#include "core/base/result.h"
#include "core/package/station_home.h"
#include "core/relay/relay_membership.h"

// The capabilities the station announces on a relay.
QStringList stationRelayCapabilities();

// Fails naming the file or key: no node key, a founder without the mesh key
// (NotFound: "atmosphere mesh create" makes one), a member without a token.
atmo::Result<RelayClient::Config> relayConfigFor(const atmo::StationHome& home, const atmo::RelayMembership& membership,
                                                 const QString& nodeName);
