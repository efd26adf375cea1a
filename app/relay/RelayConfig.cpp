#include "app/relay/RelayConfig.h"

#include "app/QtStrings.h"

QStringList stationRelayCapabilities()
{
    return {QStringLiteral("models"), QStringLiteral("packages")};
}

atmo::Result<RelayClient::Config> relayConfigFor(const atmo::StationHome& home, const atmo::RelayMembership& membership,
                                                 const QString& nodeName)
{
    auto nodeId = home.nodeId();
    if (!nodeId)
        return nodeId.error();
    RelayClient::Config c;
    c.relayUrl = QUrl(q(membership.relayUrl));
    c.meshId = q(membership.meshId);
    c.nodeId = q(*nodeId);
    c.name = nodeName.isEmpty() ? q(home.nodeName(*nodeId)) : nodeName;
    c.capabilities = stationRelayCapabilities();
    if (membership.founder) {
        auto key = home.meshKey(membership.meshId);
        if (!key) {
            if (key.code() == atmo::ErrorCode::NotFound)
                return atmo::fail(atmo::ErrorCode::NotFound, "mesh " + membership.meshId +
                                                                 ": this station holds no mesh key, so it cannot register "
                                                                 "the mesh as its founder (atmosphere mesh create)");
            return key.error();
        }
        RelayClient::Founder f;
        f.meshPublicKey = QByteArray::fromStdString(key->publicKeyBase64());
        f.founderProof = QByteArray::fromStdString(key->sign(membership.meshId)); // over the UTF-8 mesh id
        f.meshName = q(home.meshName(membership.meshId));
        c.founder = f;
    } else {
        c.tokenJson = QByteArray::fromStdString(membership.tokenJson);
    }
    return c;
}
