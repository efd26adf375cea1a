// atmosphere mesh register / join / status: the station's membership of a
// mesh on the mesh's WebSocket relay (app/relay/RelayClient.h). register
// and join connect once, and remember the relay (and the token, a
// credential: mode 0600) in <home>/station/relay.json only when the relay
// took us in; status connects with what is remembered and lists the peers;
// `atmosphere serve` stays joined while it runs.
//
// status connects as this station's node, so a running `serve` on the same
// home is replaced for a while (the relay keeps one connection per node;
// RelayClient.h says how the replaced one comes back).
#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <chrono>

#include "CliContext.h"
#include "Commands.h"

#include "app/relay/RelayClient.h"
#include "app/relay/RelayConfig.h"
#include "core/relay/join_request.h"
#include "core/relay/join_token.h"
#include "core/relay/relay_membership.h"

namespace cli {

namespace {

constexpr qint64 kMaxTokenFileBytes = 64 * 1024;
constexpr int kPeersGraceMs = 3000; // after `joined`, how long the `peers` list may take

struct Outcome {
    RelayClient::State state = RelayClient::State::Stopped;
    QString message;
    QString meshName;
    int nodeCount = 0;
    QList<RelayClient::Peer> peers;
};

// Connects once: joined (with the peer list), refused, or the first failure.
Outcome connectOnce(RelayClient::Config config, int timeoutSeconds, QString* configError)
{
    config.replacedRetryMs = 0; // a one-shot command never takes a link back
    if (timeoutSeconds > 0)
        config.joinTimeoutMs = timeoutSeconds * 1000;
    RelayClient client;
    QEventLoop loop;
    Outcome out;
    bool joined = false;
    QTimer grace;
    grace.setSingleShot(true);
    QObject::connect(&grace, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&client, &RelayClient::stateChanged, &loop, [&](RelayClient::State state, const QString& message) {
        out.state = state;
        out.message = message;
        if (state == RelayClient::State::Joined) {
            joined = true;
            grace.start(kPeersGraceMs);
        } else if (state != RelayClient::State::Connecting) {
            loop.quit();
        }
    });
    QObject::connect(&client, &RelayClient::peersChanged, &loop, [&] {
        if (joined)
            loop.quit();
    });
    if (!client.start(config, configError))
        return out;
    loop.exec();
    out.meshName = client.meshName();
    out.nodeCount = client.nodeCount();
    out.peers = client.peers();
    client.blockSignals(true); // the outcome is what happened before we hung up
    client.stop();
    return out;
}

// The failure of an Outcome that is not Joined, as the CLI reports it.
int failOutcome(const Context& ctx, const Outcome& o)
{
    const QJsonObject extra{{"state", o.state == RelayClient::State::Refused ? "refused" : "unreachable"}};
    if (o.state == RelayClient::State::Refused) // a token or founder the relay does not accept
        return ctx.fail(atmo::Error{s(o.message), atmo::ErrorCode::Untrusted}, extra);
    return ctx.fail(atmo::Error{s(o.message.isEmpty() ? QString("relay: no answer") : o.message)}, extra);
}

QJsonArray peersJson(const QList<RelayClient::Peer>& peers)
{
    QJsonArray list;
    for (const auto& p : peers)
        list.append(QJsonObject{{"node_id", p.nodeId},
                                {"name", p.name},
                                {"capabilities", QJsonArray::fromStringList(p.capabilities)},
                                {"is_founder", p.isFounder}});
    return list;
}

void addTimeoutOption(QCommandLineParser& p)
{
    p.addOption({"timeout", "Seconds to wait for the relay's answer (default 20).", "seconds"});
}

bool timeoutOption(const Context& ctx, const QCommandLineParser& p, int& seconds, int& exitCode)
{
    seconds = 0;
    if (!p.isSet("timeout"))
        return true;
    bool ok = false;
    seconds = p.value("timeout").toInt(&ok);
    if (!ok || seconds < 1 || seconds > 3600) {
        exitCode = ctx.usage("--timeout: \"" + p.value("timeout") + "\" is not a number of seconds (1 to 3600)");
        return false;
    }
    return true;
}

// Joins (or registers) with `membership`, and remembers it when the relay took us in.
int joinAndRemember(const Context& ctx, const atmo::RelayMembership& membership, int timeoutSeconds)
{
    const atmo::StationHome home = ctx.home();
    if (auto ensured = home.ensure(); !ensured)
        return ctx.fail(ensured.error());
    auto config = relayConfigFor(home, membership, {});
    if (!config)
        return ctx.fail(config.error());
    QString configError;
    const Outcome o = connectOnce(*config, timeoutSeconds, &configError);
    if (!configError.isEmpty())
        return ctx.fail(atmo::Error{s(configError), atmo::ErrorCode::Usage});
    if (o.state != RelayClient::State::Joined)
        return failOutcome(ctx, o);
    if (auto saved = atmo::saveRelayMembership(atmo::relayMembershipFile(home), membership); !saved)
        return ctx.fail(saved.error());
    const bool meshChanged = home.meshId() != membership.meshId;
    if (meshChanged)
        if (auto set = home.setMeshId(membership.meshId); !set)
            return ctx.fail(set.error());
    const QString url = RelayClient::endpointFor(config->relayUrl, config->meshId, nullptr).toDisplayString();
    if (ctx.json()) {
        ctx.printJson({{"relay", url},
                       {"mesh_id", q(membership.meshId)},
                       {"mesh", o.meshName},
                       {"mode", membership.founder ? "founder" : "member"},
                       {"node_id", config->nodeId},
                       {"node_count", o.nodeCount},
                       {"peers", peersJson(o.peers)}});
    } else {
        ctx.print(QString("%1 mesh %2 (%3) on relay %4 as %5; %6 %7 in the mesh")
                      .arg(membership.founder ? "registered" : "joined",
                           o.meshName.isEmpty() ? q(membership.meshId) : o.meshName, q(membership.meshId), url,
                           membership.founder ? "founder" : "member")
                      .arg(o.nodeCount)
                      .arg(o.nodeCount == 1 ? "node" : "nodes"));
        if (meshChanged)
            ctx.print("this station's mesh is now " + q(membership.meshId));
        ctx.print("remembered in " + q(atmo::relayMembershipFile(home).string()) + "; atmosphere serve stays joined");
    }
    return Ok;
}

// --token FILE or --token '{...}': the token's JSON text.
std::optional<std::string> tokenText(const Context& ctx, const QString& value, int& exitCode)
{
    if (value.trimmed().startsWith('{'))
        return s(value);
    QFile f(value);
    if (!f.exists()) {
        exitCode = ctx.fail(atmo::Error{"--token " + s(value) + ": no such file (give a token file or its JSON)",
                                        atmo::ErrorCode::Usage});
        return std::nullopt;
    }
    if (!f.open(QIODevice::ReadOnly) || f.size() > kMaxTokenFileBytes) {
        exitCode = ctx.fail(atmo::Error{"--token " + s(value) +
                                            (f.isOpen() ? ": larger than 64 KiB, not a token" : ": cannot be read"),
                                        f.isOpen() ? atmo::ErrorCode::BadData : atmo::ErrorCode::Io});
        return std::nullopt;
    }
    return f.readAll().toStdString();
}

} // namespace

int meshRegister(const QStringList& args)
{
    Context ctx("mesh register", args);
    QCommandLineParser p;
    p.addOption({"relay", "The relay: ws://host:port or wss://... (the path /relay/{mesh_id} is added).", "url"});
    p.addOption({"mesh", "The mesh to register (default: this station's mesh id).", "id"});
    addTimeoutOption(p);
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    if (!p.isSet("relay"))
        return ctx.usage("mesh register needs --relay URL");
    int timeout = 0, code = Ok;
    if (!timeoutOption(ctx, p, timeout, code))
        return code;
    atmo::RelayMembership m;
    m.relayUrl = s(p.value("relay"));
    m.meshId = p.isSet("mesh") ? s(p.value("mesh")) : ctx.home().meshId();
    m.founder = true;
    return joinAndRemember(ctx, m, timeout);
}

int meshJoin(const QStringList& args)
{
    Context ctx("mesh join", args);
    QCommandLineParser p;
    p.addOption({"relay", "The relay: ws://host:port or wss://... (default with --invite: the invite's relay).", "url"});
    p.addOption({"token", "The join token: a file, or its JSON text.", "file-or-json"});
    p.addOption({"invite", "An invite: atmosphere://join?invite=... (or the text after invite=).", "link"});
    addTimeoutOption(p);
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    if (p.isSet("token") == p.isSet("invite"))
        return ctx.usage("mesh join needs --token FILE|JSON or --invite LINK (one of them)");
    int timeout = 0, code = Ok;
    if (!timeoutOption(ctx, p, timeout, code))
        return code;

    std::string credential;
    if (p.isSet("token")) {
        const auto text = tokenText(ctx, p.value("token"), code);
        if (!text)
            return code;
        credential = *text;
    } else {
        credential = s(p.value("invite"));
    }
    auto nodeId = ctx.home().nodeId();
    if (!nodeId)
        return ctx.fail(nodeId.error());
    auto m = atmo::membershipFromCredential(credential, s(p.value("relay")), *nodeId, atmo::unixSecondsNow());
    if (!m && m.code() == atmo::ErrorCode::Usage)
        return ctx.usage("mesh join: " + q(m.message()) + " (--relay URL)");
    if (!m)
        return ctx.fail(m.error());
    return joinAndRemember(ctx, *m, timeout);
}

int meshStatus(const QStringList& args)
{
    Context ctx("mesh status", args);
    QCommandLineParser p;
    addTimeoutOption(p);
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    int timeout = 0, code = Ok;
    if (!timeoutOption(ctx, p, timeout, code))
        return code;
    const atmo::StationHome home = ctx.home();
    auto membership = atmo::loadRelayMembership(atmo::relayMembershipFile(home));
    if (!membership)
        return ctx.fail(membership.error());
    auto config = relayConfigFor(home, *membership, {});
    if (!config)
        return ctx.fail(config.error());
    QString configError;
    const Outcome o = connectOnce(*config, timeout, &configError);
    if (!configError.isEmpty())
        return ctx.fail(atmo::Error{s(configError), atmo::ErrorCode::BadData});
    if (o.state != RelayClient::State::Joined)
        return failOutcome(ctx, o);
    const QString url = RelayClient::endpointFor(config->relayUrl, config->meshId, nullptr).toDisplayString();
    const QString mode = membership->founder ? "founder" : "member";
    if (ctx.json()) {
        ctx.printJson({{"state", "joined"},
                       {"relay", url},
                       {"mesh_id", config->meshId},
                       {"mesh", o.meshName},
                       {"mode", mode},
                       {"node_id", config->nodeId},
                       {"node_count", o.nodeCount},
                       {"peers", peersJson(o.peers)}});
        return Ok;
    }
    ctx.print(QString("joined mesh %1 (%2) on relay %3 as %4; %5 %6")
                  .arg(o.meshName.isEmpty() ? config->meshId : o.meshName, config->meshId, url, mode)
                  .arg(o.nodeCount)
                  .arg(o.nodeCount == 1 ? "node" : "nodes"));
    if (o.peers.isEmpty()) {
        ctx.print("No other nodes are on the relay.");
        return Ok;
    }
    QList<QStringList> rows{{"NODE ID", "NAME", "CAPABILITIES", "FOUNDER"}};
    for (const auto& peer : o.peers)
        rows << QStringList{peer.nodeId, peer.name, peer.capabilities.join(','), peer.isFounder ? "yes" : ""};
    ctx.printTable(rows);
    return Ok;
}

} // namespace cli
