#include "RelayPull.h"

#include <QEventLoop>
#include <QTimer>

#include <iostream>
#include <map>

#include "app/mesh/DownloadSpec.h"
#include "app/relay/RelayClient.h"
#include "app/relay/RelayConfig.h"
#include "core/base/fs_util.h"
#include "core/relay/relay_membership.h"

namespace cli {

bool hasRelayMembership(const Context& ctx)
{
    return bool(atmo::loadRelayMembership(atmo::relayMembershipFile(ctx.home())));
}

std::optional<RelaySource> findOnRelay(const Context& ctx, const QString& modelId, int waitSeconds, int& exitCode)
{
    const atmo::StationHome home = ctx.home();
    auto membership = atmo::loadRelayMembership(atmo::relayMembershipFile(home));
    if (!membership) {
        if (membership.code() == atmo::ErrorCode::NotFound)
            exitCode = ctx.fail(atmo::Error{"this station is in no mesh on a relay (atmosphere mesh join INVITE, or "
                                            "atmosphere mesh register for a mesh it founded)",
                                            atmo::ErrorCode::NotFound});
        else
            exitCode = ctx.fail(membership.error());
        return std::nullopt;
    }
    auto config = relayConfigFor(home, *membership, {});
    if (!config) {
        exitCode = ctx.fail(config.error());
        return std::nullopt;
    }
    config->replacedRetryMs = 0; // a one-shot command never takes the link back from another copy
    config->joinTimeoutMs = waitSeconds * 1000;

    RelaySource source;
    source.relay = std::make_shared<RelayClient>();
    source.nodeId = config->nodeId;
    RelayClient& relay = *source.relay;
    struct Offer {
        QString name;
        atmo::CatalogEntry entry;
        QString httpEndpoint;
    };
    std::map<QString, Offer> offers; // by node id: the relay's `from`, not what a payload claims
    QEventLoop loop;
    QString failure;
    atmo::ErrorCode failureCode = atmo::ErrorCode::Io;
    QObject::connect(&relay, &RelayClient::message, &loop, [&](const QString& from, const QByteArray& payload) {
        auto catalog = atmo::parseCatalogMessage(std::string_view(payload.constData(), std::size_t(payload.size())));
        if (!catalog)
            return; // not a catalog, or a malformed one: other nodes may still answer
        for (const auto& e : catalog->models)
            if (e.modelId == s(modelId)) {
                offers[from] = {q(catalog->nodeName), e, q(catalog->httpEndpoint)};
                QTimer::singleShot(0, &loop, &QEventLoop::quit);
            }
    });
    QObject::connect(&relay, &RelayClient::stateChanged, &loop, [&](RelayClient::State state, const QString& message) {
        if (state == RelayClient::State::Refused || state == RelayClient::State::Replaced) {
            failure = message;
            failureCode = state == RelayClient::State::Refused ? atmo::ErrorCode::Untrusted : atmo::ErrorCode::Busy;
            loop.quit();
        } else if (state == RelayClient::State::Backoff && relay.nodeCount() == 0) {
            failure = message; // could not reach the relay at all
            loop.quit();
        }
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    QString startError;
    if (!relay.start(*config, &startError)) {
        exitCode = ctx.fail(atmo::Error{s(startError), atmo::ErrorCode::Usage});
        return std::nullopt;
    }
    source.relayUrl = relay.url().toDisplayString();
    deadline.start(waitSeconds * 1000);
    loop.exec();
    if (!failure.isEmpty()) {
        relay.stop();
        exitCode = ctx.fail(atmo::Error{s(failure), failureCode});
        return std::nullopt;
    }
    if (offers.empty()) {
        const bool joined = relay.state() == RelayClient::State::Joined;
        const int others = joined ? relay.nodeCount() - 1 : 0;
        relay.stop();
        exitCode = ctx.fail(
            atmo::Error{s(joined ? QString("%1: no node on relay %2 offered it within %3 s (%4 other %5 in the mesh)")
                                       .arg(modelId, source.relayUrl)
                                       .arg(waitSeconds)
                                       .arg(others)
                                       .arg(others == 1 ? "node" : "nodes")
                                 : QString("%1: could not join the mesh on relay %2 within %3 s: %4")
                                       .arg(modelId, source.relayUrl)
                                       .arg(waitSeconds)
                                       .arg(relay.stateMessage())),
                        atmo::ErrorCode::NotFound});
        return std::nullopt;
    }
    // Any node that offers it: they all claim the same bytes (the catalog's
    // SHA-256 decides), and the first to answer is the one most awake.
    const auto& [peer, offer] = *offers.begin();
    source.peerNodeId = peer;
    source.peerName = offer.name;
    source.entry = offer.entry;
    source.httpEndpoint = offer.httpEndpoint;
    return source;
}

} // namespace cli
