#include "app/relay/RelayPresence.h"

#include "app/QtStrings.h"
#include "app/relay/RelayConfig.h"

RelayPresence::RelayPresence(atmo::StationHome home, QObject* parent) : QObject(parent), home_(std::move(home))
{
    if (auto id = home_.nodeId())
        nodeId_ = q(*id);
}

RelayPresence::~RelayPresence()
{
    server_.reset(); // it sends through the client
}

void RelayPresence::setModels(std::vector<atmo::LocalModel> models, const QString& httpEndpoint)
{
    models_ = std::move(models);
    const bool endpointChanged = httpEndpoint != httpEndpoint_;
    httpEndpoint_ = httpEndpoint;
    if (endpointChanged)
        makeServer();
    else if (server_)
        server_->setModels(models_);
}

void RelayPresence::setCaps(const atmo::RelayCaps& caps)
{
    caps_ = caps;
    if (server_)
        server_->setCaps(caps); // for transfers that start from now on
}

// The model server for the link in use, made anew when the link or the
// HTTP endpoint its catalog names changes (transfers running are cut;
// their requesters ask again from what they have).
void RelayPresence::makeServer()
{
    server_.reset();
    if (!client_)
        return;
    RelayModelServer::Options options;
    options.caps = caps_;
    const QString name = q(home_.nodeName(s(nodeId_)));
    server_ = std::make_unique<RelayModelServer>(client_.get(), RelayModelServer::Identity{nodeId_, name, httpEndpoint_},
                                                 options);
    server_->setModels(models_);
}

void RelayPresence::setTimings(int joinTimeoutMs, int backoffMinMs, int backoffMaxMs)
{
    joinTimeoutMs_ = joinTimeoutMs;
    backoffMinMs_ = backoffMinMs;
    backoffMaxMs_ = backoffMaxMs;
}

std::unique_ptr<RelayClient> RelayPresence::makeClient(const atmo::RelayMembership& membership, QString* error)
{
    auto config = relayConfigFor(home_, membership, {});
    if (!config) {
        *error = q(config.message());
        return nullptr;
    }
    config->joinTimeoutMs = joinTimeoutMs_;
    config->backoffMinMs = backoffMinMs_;
    config->backoffMaxMs = backoffMaxMs_;
    // Replaced by another program of this home (`atmosphere serve` on a
    // gateway): the service keeps the link, the window does not fight it.
    config->replacedRetryMs = 0;
    auto client = std::make_unique<RelayClient>();
    if (!client->start(*config, error))
        return nullptr;
    return client;
}

void RelayPresence::start()
{
    loadError_.clear();
    auto loaded = atmo::loadRelayMembership(atmo::relayMembershipFile(home_));
    if (!loaded) {
        membership_.reset();
        if (loaded.code() != atmo::ErrorCode::NotFound)
            loadError_ = q(loaded.message());
        emit changed();
        return;
    }
    membership_ = *loaded;
    QString error;
    auto client = makeClient(*membership_, &error);
    if (!client)
        loadError_ = error;
    adopt(std::move(client));
}

void RelayPresence::adopt(std::unique_ptr<RelayClient> client)
{
    server_.reset();
    if (client_) {
        client_->disconnect(this);
        client_->stop();
        emit relayLinkDown();
    }
    client_ = std::move(client);
    if (client_) {
        connect(client_.get(), &RelayClient::stateChanged, this, [this](RelayClient::State state) {
            if (state != RelayClient::State::Joined)
                emit relayLinkDown();
            emit changed();
        });
        connect(client_.get(), &RelayClient::peersChanged, this, &RelayPresence::changed);
        connect(client_.get(), &RelayClient::peerLeft, this, &RelayPresence::relayPeerLeft);
        connect(client_.get(), &RelayClient::message, this, [this](const QString& from, const QByteArray& payload) {
            if (payload.contains("model_catalog")) // the rest are transfers, for their fetches and the server
                emit relayCatalog(from, payload);
        });
        makeServer();
    }
    emit clientChanged(client_.get());
    emit changed();
}

void RelayPresence::join(const atmo::RelayMembership& membership)
{
    cancelJoin();
    QString error;
    auto candidate = makeClient(membership, &error);
    if (!candidate) {
        emit joinFinished(false, error);
        return;
    }
    candidate_ = std::move(candidate);
    candidateMembership_ = membership;
    connect(candidate_.get(), &RelayClient::stateChanged, this,
                     [this](RelayClient::State state, const QString& message) {
                         switch (state) {
                         case RelayClient::State::Joined:
                             return finishJoin(true, message);
                         case RelayClient::State::Backoff:
                         case RelayClient::State::Refused:
                         case RelayClient::State::Replaced:
                             return finishJoin(false, message);
                         case RelayClient::State::Stopped:
                         case RelayClient::State::Connecting:
                             return;
                         }
                     });
}

void RelayPresence::finishJoin(bool ok, const QString& message)
{
    std::unique_ptr<RelayClient> candidate = std::move(candidate_);
    // The client is deleted once the signal that brought us here has returned.
    auto dispose = [](std::unique_ptr<RelayClient> c) {
        c->disconnect();
        c.release()->deleteLater();
    };
    if (!ok) {
        candidate->stop();
        dispose(std::move(candidate));
        emit joinFinished(false, message);
        return;
    }
    const atmo::RelayMembership m = candidateMembership_;
    QString why;
    if (auto saved = atmo::saveRelayMembership(atmo::relayMembershipFile(home_), m); !saved)
        why = q(saved.message());
    else if (home_.meshId() != m.meshId)
        if (auto set = home_.setMeshId(m.meshId); !set)
            why = q(set.message());
    if (!why.isEmpty()) {
        candidate->stop();
        dispose(std::move(candidate));
        emit joinFinished(false, why);
        return;
    }
    candidate->disconnect(this);
    membership_ = m;
    loadError_.clear();
    adopt(std::move(candidate));
    emit joinFinished(true, message);
}

void RelayPresence::cancelJoin()
{
    if (!candidate_)
        return;
    candidate_->disconnect(this);
    candidate_->stop();
    candidate_.release()->deleteLater();
}

atmo::Status RelayPresence::leave()
{
    cancelJoin();
    if (auto forgotten = atmo::forgetRelayMembership(atmo::relayMembershipFile(home_)); !forgotten)
        return forgotten;
    membership_.reset();
    loadError_.clear();
    adopt(nullptr);
    return {};
}

RelayClient::State RelayPresence::state() const { return client_ ? client_->state() : RelayClient::State::Stopped; }

QString RelayPresence::relayUrl() const
{
    if (client_ && client_->url().isValid())
        return client_->url().toDisplayString();
    return membership_ ? q(membership_->relayUrl) : QString();
}

QString RelayPresence::meshName() const
{
    if (client_ && !client_->meshName().isEmpty())
        return client_->meshName();
    return membership_ ? q(membership_->meshId) : QString();
}

QList<RelayClient::Peer> RelayPresence::peers() const { return client_ ? client_->peers() : QList<RelayClient::Peer>(); }

QString RelayPresence::statusText() const
{
    if (!membership_)
        return loadError_.isEmpty() ? tr("Not in a mesh on a relay: devices on other networks cannot reach this station.")
                                    : tr("The remembered relay membership cannot be used: %1").arg(loadError_);
    if (!loadError_.isEmpty())
        return tr("Mesh %1 on relay %2 cannot be joined: %3").arg(meshName(), relayUrl(), loadError_);
    const QString role = membership_->founder ? tr("founder") : tr("member");
    const QString message = client_ ? client_->stateMessage() : QString();
    switch (state()) {
    case RelayClient::State::Joined: {
        const QList<RelayClient::Peer> others = peers();
        QStringList names;
        for (const RelayClient::Peer& p : others)
            names << (p.name.isEmpty() ? p.nodeId : p.name);
        const QString who = others.isEmpty() ? tr("no other node is on the relay")
                                             : tr("%n other node(s): %1", nullptr, int(others.size()))
                                                   .arg(names.join(QStringLiteral(", ")));
        return tr("Joined mesh %1 on relay %2 as %3; %4.").arg(meshName(), relayUrl(), role, who);
    }
    case RelayClient::State::Connecting:
        return tr("Connecting to relay %1 (mesh %2)…").arg(relayUrl(), meshName());
    case RelayClient::State::Backoff:
        return tr("Not connected to relay %1; trying again. %2").arg(relayUrl(), message);
    case RelayClient::State::Refused:
        return tr("The relay refused this station: %1").arg(message);
    case RelayClient::State::Replaced:
        return tr("Another program of this station (atmosphere serve?) took over its link to relay %1; the window "
                  "leaves the link to it.")
            .arg(relayUrl());
    case RelayClient::State::Stopped:
        break;
    }
    return tr("Not connected to relay %1.").arg(relayUrl());
}

bool RelayPresence::statusIsProblem() const
{
    if (!membership_)
        return !loadError_.isEmpty();
    if (!loadError_.isEmpty())
        return true;
    const RelayClient::State s = state();
    return s == RelayClient::State::Backoff || s == RelayClient::State::Refused;
}
