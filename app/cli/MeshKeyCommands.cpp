// atmosphere mesh create / token / invite / identity: the station's node
// identity, a mesh's founder key, and the join tokens and invites it signs
// (core/base/node_key.h, core/relay/join_token.h, core/relay/invite.h).
#include <QJsonDocument>
#include <QJsonObject>

#include <chrono>
#include <iostream>

#include "CliContext.h"
#include "Commands.h"

#include "core/base/sha256.h"
#include "core/relay/invite.h"
#include "core/relay/invite_issuer.h"
#include "core/relay/join_token.h"

#include <sodium.h>

namespace cli {

namespace {

QJsonObject jsonObject(const std::string& text) { return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object(); }

// --mesh, else the station's mesh id.
std::string meshOption(const Context& ctx, const QCommandLineParser& p)
{
    return p.isSet("mesh") ? s(p.value("mesh")) : ctx.home().meshId();
}

void addTokenOptions(QCommandLineParser& p)
{
    p.addOption({"mesh", "The mesh whose key signs (default: this station's mesh id).", "id"});
    p.addOption({"node", "Only the node with this node id may use the token.", "node-id"});
    p.addOption({"any", "Any node may use the token (the default)."});
    p.addOption({"capabilities", "What the node may do, comma-separated (default: participant).", "a,b"});
    p.addOption({"lifetime", "How long the token lasts: 3600s, 90m, 24h, 3d; at most 7 days (default: 24h).",
                 "time"});
}

// What the options ask for; the mesh key this station holds signs it
// (core/relay/invite_issuer.h, also behind the window's Invite dialog).
atmo::Result<atmo::InviteRequest> requestFromOptions(const Context& ctx, const QCommandLineParser& p)
{
    if (p.isSet("node") && p.isSet("any"))
        return atmo::fail(atmo::ErrorCode::Usage, "--node and --any contradict each other");
    atmo::InviteRequest request;
    request.meshId = meshOption(ctx, p);
    if (p.isSet("node"))
        request.nodeId = s(p.value("node"));
    if (p.isSet("capabilities")) {
        request.capabilities.clear();
        for (const QString& c : p.value("capabilities").split(',', Qt::SkipEmptyParts))
            request.capabilities.push_back(s(c.trimmed()));
        if (request.capabilities.empty())
            return atmo::fail(atmo::ErrorCode::Usage, "--capabilities names no capability");
    }
    if (p.isSet("lifetime")) {
        auto lifetime = atmo::parseJoinTokenLifetime(s(p.value("lifetime")));
        if (!lifetime)
            return lifetime.error();
        request.lifetimeSeconds = *lifetime;
    }
    return request;
}

} // namespace

int meshCreate(const QStringList& args)
{
    Context ctx("mesh create", args);
    QCommandLineParser p;
    p.addOption({"id", "The new mesh's id (letters, digits, . _ -; default: mesh- and 12 random hex digits).", "id"});
    p.addOption({"name", "The mesh's name for people, shown in invites (default: its id).", "name"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    std::string meshId;
    if (p.isSet("id")) {
        meshId = s(p.value("id"));
    } else {
        std::uint8_t bytes[6];
        randombytes_buf(bytes, sizeof bytes);
        meshId = "mesh-" + atmo::toHex(bytes, sizeof bytes);
    }
    const atmo::StationHome home = ctx.home();
    if (const std::string problem = atmo::StationHome::meshIdProblem(meshId); !problem.empty())
        return ctx.fail(atmo::fail(atmo::ErrorCode::Usage, "--id: mesh id \"" + meshId + "\" " + problem));
    if (p.isSet("name") && (p.value("name").trimmed().isEmpty() || p.value("name").toUtf8().size() > 64))
        return ctx.usage("--name: \"" + p.value("name") + "\" is empty or longer than 64 bytes");
    auto key = home.createMeshKey(meshId);
    if (!key)
        return ctx.fail(key.error());
    if (p.isSet("name"))
        if (auto named = home.setMeshName(meshId, s(p.value("name"))); !named)
            return ctx.fail(named.error());
    if (auto set = home.setMeshId(meshId); !set)
        return ctx.fail(set.error());
    auto nodeId = home.nodeId();
    if (!nodeId)
        return ctx.fail(nodeId.error());
    const QString keyFile = q(home.meshKeyFile(meshId)->string());
    if (ctx.json()) {
        ctx.printJson({{"mesh_id", q(meshId)},
                       {"mesh_name", q(home.meshName(meshId))},
                       {"mesh_public_key", q(key->publicKeyBase64())},
                       {"key_file", keyFile},
                       {"node_id", q(*nodeId)}});
    } else {
        ctx.print(QString("Mesh %1 (\"%2\") created; this station founded it and is now in it.")
                      .arg(q(meshId), q(home.meshName(meshId))));
        ctx.print("Mesh public key: " + q(key->publicKeyBase64()));
        ctx.print("Mesh key: " + keyFile + " (keep it private: it admits nodes to the mesh)");
    }
    return Ok;
}

int meshToken(const QStringList& args)
{
    Context ctx("mesh token", args);
    QCommandLineParser p;
    addTokenOptions(p);
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    auto request = requestFromOptions(ctx, p);
    if (!request)
        return ctx.fail(request.error());
    auto token = atmo::issueMeshToken(ctx.home(), *request, atmo::unixSecondsNow());
    if (!token)
        return ctx.fail(token.error());
    // The token is JSON either way: the core's text, byte for byte.
    std::cout << atmo::joinTokenJson(*token) << std::endl;
    return Ok;
}

int meshInvite(const QStringList& args)
{
    Context ctx("mesh invite", args);
    QCommandLineParser p;
    addTokenOptions(p);
    p.addOption({"endpoint", "Where the new device finds the mesh: local:HOST:PORT or relay:wss://... "
                             "(repeatable).",
                 "endpoint"});
    p.addOption({"relay", "A relay the mesh uses, ws:// or wss:// (repeatable; same as --endpoint relay:URL).", "url"});
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    std::vector<std::string> endpoints;
    for (const QString& e : p.values("endpoint"))
        endpoints.push_back(s(e));
    for (const QString& r : p.values("relay"))
        endpoints.push_back("relay:" + s(r));
    if (endpoints.empty())
        return ctx.usage("mesh invite needs --endpoint or --relay: where the new device finds the mesh");
    auto request = requestFromOptions(ctx, p);
    if (!request)
        return ctx.fail(request.error());
    request->endpoints = endpoints;
    auto invite = atmo::issueInvite(ctx.home(), *request, atmo::unixSecondsNow());
    if (!invite)
        return ctx.fail(invite.error());
    const std::string link = atmo::inviteLink(*invite);
    if (ctx.json())
        ctx.printJson({{"invite", jsonObject(atmo::inviteJson(*invite))}, {"link", q(link)}});
    else
        ctx.print(q(link));
    return Ok;
}

int meshIdentity(const QStringList& args)
{
    Context ctx("mesh identity", args);
    QCommandLineParser p;
    if (!ctx.parse(p, 0, 0, {}))
        return Usage;
    const atmo::StationHome home = ctx.home();
    auto node = home.nodeKey();
    if (!node)
        return ctx.fail(node.error());
    const std::string meshId = home.meshId();
    auto meshKey = home.meshKey(meshId);
    if (!meshKey && meshKey.code() != atmo::ErrorCode::NotFound)
        return ctx.fail(meshKey.error());
    if (ctx.json()) {
        QJsonObject o{{"node_id", q(node->nodeId())},
                      {"node_public_key", q(node->publicKeyBase64())},
                      {"node_name", q(home.nodeName(node->nodeId()))},
                      {"mesh_id", q(meshId)},
                      {"mesh_name", q(home.meshName(meshId))},
                      {"holds_mesh_key", meshKey.ok()}};
        if (meshKey)
            o["mesh_public_key"] = q(meshKey->publicKeyBase64());
        ctx.printJson(o);
        return Ok;
    }
    QList<QStringList> rows = {{"node id", q(node->nodeId())},
                               {"node public key", q(node->publicKeyBase64())},
                               {"node name", q(home.nodeName(node->nodeId()))},
                               {"mesh id", q(meshId)},
                               {"mesh name", q(home.meshName(meshId))},
                               {"mesh key", meshKey ? "held here (this station issues tokens and invites)" : "not held here"}};
    if (meshKey)
        rows.append({"mesh public key", q(meshKey->publicKeyBase64())});
    ctx.printTable(rows);
    return Ok;
}

} // namespace cli
