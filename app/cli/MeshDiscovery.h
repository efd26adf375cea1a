// What `atmosphere peers`, `models`, `model pull` and `package check-updates`
// / `sync` share: discover peers for a few seconds (mDNS through
// avahi-daemon, the peers this station remembers, plus every --peer), wait
// until every catalog fetch has finished, and leave the result in a
// PeerDirectory. Peers reached are remembered (core/mesh/remembered_peers.h).
// A --peer or --from value is an address (http://host:port), a node name or
// a node id as `atmosphere peers` lists them; names and ids are looked up on
// mDNS (for --wait seconds) and among the remembered peers.
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

#include "app/mesh/PeerDirectory.h"
#include "CliContext.h"

namespace cli {

// Adds --wait and --no-mdns to a parser (how names are looked up).
void addLookupOptions(QCommandLineParser& parser);
// Adds --peer, --wait and --no-mdns to a parser.
void addDiscoveryOptions(QCommandLineParser& parser);

// A --peer/--from value naming an address rather than a node name or id.
bool isPeerAddress(const QString& value);

struct DiscoveryOutcome {
    bool ok = false;            // false: a usage error or nothing could be asked; already reported
    int exitCode = Ok;          // Failed when a --peer named on the command line did not answer
};

// Runs the event loop until discovery is done; reports problems on stderr
// (among them what mDNS says about the network, as notes). With nobodyToAsk
// set, having no peer to ask at all (--no-mdns, no --peer, none remembered)
// is a usage error with that text. With otherWay set (what the caller will
// do instead, e.g. "asking the mesh's relay"), mDNS not running with nobody
// else to ask is a note, not a failure: ok, with no peer found.
DiscoveryOutcome discoverPeers(const Context& ctx, const QCommandLineParser& parser, PeerDirectory& directory,
                               const QString& nobodyToAsk = {}, const QString& otherWay = {});

// The endpoints for the values of `option` (e.g. "--from"): addresses as
// given, node names and ids looked up (parser's --wait and --no-mdns). On a
// problem it is reported, exitCode set (Usage: bad address or ambiguous
// name; Failed: no such peer) and nullopt returned.
std::optional<QStringList> resolvePeers(const Context& ctx, const QCommandLineParser& parser, const QStringList& values,
                                        const QString& option, int& exitCode);

// Remembers the peers of `directory` that answered (saved at once).
void rememberReached(const Context& ctx, const PeerDirectory& directory);

// Names a peer in a one-line error: its endpoint; for an mDNS peer that
// could not be resolved (no endpoint) its instance name, or its node id.
QString peerLabel(const PeerState& peer);

} // namespace cli
