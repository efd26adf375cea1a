// The relay's side of a MeshDownload (see ChunkFetch): one stretch of the
// file from one node of the mesh through its relay, in websocket_chunked
// mode (core/transfer/relay_stream.h says how a range is asked of a
// protocol that has none, and what is checked). The stream's bytes fill
// the download's journal chunks (4 MiB and more) from the relay's 64 KiB
// pieces, so a relay node and HTTP peers share one journal, one plan and
// one final check.
//
// The fetch fails, and its chunks go back to the plan, when the sender
// cancels, when its bytes fail their checks (Fault::BadData), when the peer
// leaves the mesh or is not on the relay, and when the relay link drops
// (Fault::OurLink: the download asks again once the link is back); the
// download's stall timer covers a sender gone silent. A fetch cut short
// tells the sender (model_transfer_cancel, user_cancelled); one that
// delivered the end of the file answers after the download's final check
// with model_transfer_complete, as the mesh's receivers do.
#pragma once

#include <QMetaObject>
#include <QPointer>

#include "app/mesh/ChunkFetch.h"
#include "core/transfer/relay_stream.h"

class RelayClient;

class RelayRangeFetch : public ChunkFetch {
public:
    // Sends the model_request at once. `peer` is the plan's key for the
    // node, `target` names the file and both nodes (its request id is made here).
    RelayRangeFetch(Host& host, atmo::RangePlan& plan, RelayClient& relay, const QString& peer,
                    atmo::RelayStreamTarget target, const atmo::Assignment& assignment,
                    std::uint32_t chunksPerRequest);
    ~RelayRangeFetch() override;

    Status pump() override;
    bool awaitsVerdict() const override;
    void verdict(const std::string& computedSha256, const std::string& fileName) override;

private:
    void send(const std::string& payload);
    void extendOrFinish(atmo::SteadyTime now);
    void disconnectAll();

    QPointer<RelayClient> relay_;
    atmo::RelayStream stream_;
    std::uint32_t chunksPerRequest_;
    QMetaObject::Connection onMessage_, onLeft_, onNotFound_, onState_;
    QString linkLost_;     // why the peer cannot be reached any more
    bool ourLink_ = false; // ... because our relay link is down
    QByteArray buf_;       // the current chunk's bytes
    bool done_ = false;    // every byte of the assignment was handed over
    bool answered_ = false; // the sender was told how it ended
};
