// What `atmosphere peers` and `atmosphere models` share: discover peers for a
// few seconds (mDNS through avahi-daemon, plus every --peer URL), wait until
// every catalog fetch has finished, and leave the result in a PeerDirectory.
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include "app/mesh/PeerDirectory.h"
#include "CliContext.h"

namespace cli {

// Adds --peer, --wait and --no-mdns to a parser.
void addDiscoveryOptions(QCommandLineParser& parser);

struct DiscoveryOutcome {
    bool ok = false;            // false: a usage error or nothing could be asked; already reported
    int exitCode = Ok;          // Failed when a --peer named on the command line did not answer
};

// Runs the event loop until discovery is done; reports problems on stderr
// (among them what mDNS says about the network, as notes).
DiscoveryOutcome discoverPeers(const Context& ctx, const QCommandLineParser& parser, PeerDirectory& directory);

// Names a peer in a one-line error: its endpoint; for an mDNS peer that
// could not be resolved (no endpoint) its instance name, or its node id.
QString peerLabel(const PeerState& peer);

} // namespace cli
