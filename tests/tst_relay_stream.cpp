// core/transfer/relay_stream.h: a range of a file through the relay in
// websocket_chunked mode, driven with the payloads a sender would send:
// bytes in order with acks only when taken, pieces out of order and twice,
// an extension and a cut, a range ending inside a piece, pieces before the
// start, bad copies (size, chunk_sha256, base64) up to the limit, a start
// naming other bytes or another model, and a sender that cancels.
#include <QTest>

#include "core/base/sha256.h"
#include "core/transfer/relay_stream.h"
#include "test_main.h"

using namespace atmo;

namespace {

constexpr std::uint64_t kPiece = 64 * 1024;

std::string fileBytes(std::uint64_t size)
{
    std::string out(size, '\0');
    for (std::uint64_t i = 0; i < size; ++i)
        out[i] = char((i * 131 + i / 977) & 0xff);
    return out;
}

struct Sender {
    std::string data;
    std::string requestId;
    std::string start(std::string sha = {}) const
    {
        TransferStart s;
        s.requestId = requestId;
        s.modelId = "m";
        s.totalBytes = data.size();
        s.totalChunks = std::uint32_t(transferChunkCount(data.size(), kPiece));
        s.sha256 = sha.empty() ? sha256Hex(data) : sha;
        return transferMessageJson(s);
    }
    std::string piece(std::uint32_t i, bool withSha = true, char flip = 0) const
    {
        TransferChunk c;
        c.requestId = requestId;
        c.modelId = "m";
        c.chunkIndex = i;
        c.totalChunks = std::uint32_t(transferChunkCount(data.size(), kPiece));
        c.bytes = data.substr(i * kPiece, kPiece);
        if (withSha)
            c.chunkSha256 = sha256Hex(c.bytes);
        if (flip)
            c.bytes[0] ^= flip;
        return transferMessageJson(c);
    }
};

RelayStreamTarget targetFor(const std::string& data)
{
    return {"m", data.size(), sha256Hex(data), "5a5a5a5a5a5a5a5a", "a1b2c3d4e5f60718", "r1"};
}

// Takes everything available, in pieces of at most `max`.
std::string drain(RelayStream& s, std::vector<std::string>& acks, std::uint64_t max = 1 << 30)
{
    std::string out;
    while (auto t = s.take(max)) {
        out += t->bytes;
        if (t->ack)
            acks.push_back(*t->ack);
    }
    return out;
}

std::uint32_t ackIndex(const std::string& json)
{
    auto m = parseTransferMessage(json);
    return m ? std::get<ChunkAck>(*m).chunkIndex : 9999;
}

} // namespace

class TestRelayStream : public QObject {
    Q_OBJECT
private slots:
    void requestAsksFromTheRangeStart()
    {
        const std::string data = fileBytes(5 * kPiece);
        RelayStream s(targetFor(data), 2 * kPiece, 4 * kPiece);
        auto m = parseTransferMessage(s.requestMessage());
        QVERIFY(m);
        const auto& r = std::get<ModelRequest>(*m);
        QCOMPARE(r.resumeFromByte, 2 * kPiece);
        QCOMPARE(r.targetNodeId, std::string("a1b2c3d4e5f60718"));
        QCOMPARE(r.requesterNodeId, std::string("5a5a5a5a5a5a5a5a"));
        QCOMPARE(r.modelId, std::string("m"));
    }

    void bytesInOrderAckedWhenTaken()
    {
        const std::string data = fileBytes(3 * kPiece + 100);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), kPiece, data.size());
        QVERIFY(s.onMessage(snd.start()).empty());
        QVERIFY(s.sizeProven());
        // Piece 2 before piece 1: it waits, acknowledged at once (the
        // sender need not resend what is here while piece 1 is missing).
        auto early = s.onMessage(snd.piece(2));
        QCOMPARE(early.size(), std::size_t(1));
        QCOMPARE(ackIndex(early[0]), 2u);
        QVERIFY(!s.take(kPiece));
        QVERIFY(s.onMessage(snd.piece(1)).empty());
        std::vector<std::string> acks;
        // Taken in parts: the ack comes with the piece's last byte.
        auto t = s.take(1000);
        QVERIFY(t && t->bytes.size() == 1000 && !t->ack);
        std::string got = t->bytes + drain(s, acks);
        QCOMPARE(acks.size(), std::size_t(1)); // piece 2 is not acknowledged twice
        QCOMPARE(ackIndex(acks[0]), 1u);
        QVERIFY(s.onMessage(snd.piece(3, false)).empty()); // no chunk_sha256, as the Python nodes send
        got += drain(s, acks);
        QCOMPARE(got, data.substr(kPiece));
        QCOMPARE(s.state(), RelayStream::State::Done);
        // A piece taken before, sent again: acknowledged, dropped.
        auto again = s.onMessage(snd.piece(2));
        QCOMPARE(again.size(), std::size_t(1));
        QCOMPARE(ackIndex(again[0]), 2u);
        QCOMPARE(s.duplicates(), 1u);
        QVERIFY(s.reachesFileEnd());
        auto done = parseTransferMessage(s.completeMessage(sha256Hex(data), "m.gguf"));
        QVERIFY(done);
        QCOMPARE(std::get<TransferComplete>(*done).verificationStatus, std::string("verified"));
    }

    // The piece needed next is here but not taken (the download waits for
    // its disk): nothing after it is acknowledged, so the sender waits too.
    void backpressureHoldsTheSender()
    {
        const std::string data = fileBytes(4 * kPiece);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), 0, data.size());
        s.onMessage(snd.start());
        QVERIFY(s.onMessage(snd.piece(0)).empty());
        QVERIFY(s.onMessage(snd.piece(1)).empty());
        std::vector<std::string> acks;
        QCOMPARE(drain(s, acks).size(), std::size_t(2 * kPiece));
        QCOMPARE(acks.size(), std::size_t(2));
    }

    void rangeEndingInsideAPieceThenExtended()
    {
        const std::string data = fileBytes(3 * kPiece);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), 0, kPiece + 10);
        s.onMessage(snd.start());
        s.onMessage(snd.piece(0));
        s.onMessage(snd.piece(1));
        std::vector<std::string> acks;
        QCOMPARE(drain(s, acks), data.substr(0, kPiece + 10));
        QCOMPARE(s.state(), RelayStream::State::Done);
        QCOMPARE(acks.size(), std::size_t(2)); // piece 1 acked at the range's end: the sender may go on
        QVERIFY(!s.reachesFileEnd());
        s.extendTo(data.size());
        QCOMPARE(s.state(), RelayStream::State::Streaming);
        s.onMessage(snd.piece(2));
        QCOMPARE(drain(s, acks), data.substr(kPiece + 10));
        QCOMPARE(acks.size(), std::size_t(3)); // piece 1 is not acknowledged twice
        auto cut = parseTransferMessage(*s.cancelMessage("done here"));
        QVERIFY(cut);
        QCOMPARE(std::get<TransferCancel>(*cut).reason, CancelReason::UserCancelled);
    }

    // A start lost or late on the relay: pieces in the protocol's 64 KiB
    // are taken as such, and the start is still checked when it comes.
    void piecesBeforeTheStart()
    {
        const std::string data = fileBytes(2 * kPiece);
        Sender snd{data, "r1"};
        {
            RelayStream s(targetFor(data), 0, data.size());
            s.onMessage(snd.piece(0));
            QVERIFY(!s.sizeProven());
            std::vector<std::string> acks;
            QCOMPARE(drain(s, acks), data.substr(0, kPiece));
            s.onMessage(snd.start());
            QVERIFY(s.sizeProven());
            s.onMessage(snd.piece(1));
            QCOMPARE(drain(s, acks), data.substr(kPiece));
            QCOMPARE(s.state(), RelayStream::State::Done);
        }
        {
            RelayStream s(targetFor(data), 0, data.size());
            s.onMessage(snd.piece(0));
            s.onMessage(snd.start(std::string(64, 'f'))); // late, and naming other bytes
            QCOMPARE(s.state(), RelayStream::State::Failed);
            QCOMPARE(s.fault(), RelayStream::Fault::Mismatch);
        }
        {
            // Pieces of another size wait for the start that says so.
            RelayStream s(targetFor(data), 0, data.size());
            TransferChunk c;
            c.requestId = "r1";
            c.modelId = "m";
            c.chunkIndex = 0;
            c.totalChunks = 4;
            c.bytes = data.substr(0, kPiece / 2);
            s.onMessage(transferMessageJson(c));
            QVERIFY(!s.take(kPiece));
            TransferStart st;
            st.requestId = "r1";
            st.modelId = "m";
            st.totalBytes = data.size();
            st.totalChunks = 4;
            st.chunkSize = kPiece / 2;
            st.sha256 = sha256Hex(data);
            s.onMessage(transferMessageJson(st));
            std::vector<std::string> acks;
            QCOMPARE(drain(s, acks), data.substr(0, kPiece / 2));
        }
    }

    void unusableStartCancelsWithNetworkError()
    {
        const std::string data = fileBytes(kPiece);
        RelayStream s(targetFor(data), 0, data.size());
        TransferStart st;
        st.requestId = "r1";
        st.modelId = "other";
        st.totalBytes = data.size();
        st.totalChunks = 1;
        st.sha256 = sha256Hex(data);
        s.onMessage(transferMessageJson(st));
        QCOMPARE(s.fault(), RelayStream::Fault::Unusable);
        auto c = parseTransferMessage(*s.cancelMessage("x"));
        QVERIFY(c);
        QCOMPARE(std::get<TransferCancel>(*c).reason, CancelReason::NetworkError);
    }

    void otherRequestsAreIgnored()
    {
        const std::string data = fileBytes(kPiece);
        Sender other{data, "r2"};
        RelayStream s(targetFor(data), 0, data.size());
        s.onMessage(other.start());
        QCOMPARE(s.state(), RelayStream::State::Waiting);
        s.onMessage("{\"type\":\"model_transfer_cancel\",\"request_id\":\"r2\",\"model_id\":\"m\",\"reason\":\"timeout\"}");
        QCOMPARE(s.state(), RelayStream::State::Waiting);
        s.onMessage("not json");
        QCOMPARE(s.state(), RelayStream::State::Waiting);
    }

    void badCopiesUpToTheLimit()
    {
        const std::string data = fileBytes(2 * kPiece);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), 0, data.size());
        s.onMessage(snd.start());
        QVERIFY(s.onMessage(snd.piece(0, true, 1)).empty()); // fails its chunk_sha256: no ack
        QVERIFY(!s.take(kPiece));
        // Base64 that is not, for piece 0 of this request.
        s.onMessage("{\"type\":\"model_transfer_chunk\",\"request_id\":\"r1\",\"model_id\":\"m\",\"chunk_index\":0,"
                    "\"total_chunks\":2,\"chunk_bytes\":\"@@@\"}");
        QCOMPARE(s.state(), RelayStream::State::Streaming);
        s.onMessage(snd.piece(0, true, 4));
        QCOMPARE(s.state(), RelayStream::State::Failed);
        QCOMPARE(s.fault(), RelayStream::Fault::Mismatch);
        QVERIFY2(s.failure().find("piece 0") != std::string::npos, s.failure().c_str());
        auto c = parseTransferMessage(*s.cancelMessage("x"));
        QVERIFY(c);
        QCOMPARE(std::get<TransferCancel>(*c).reason, CancelReason::HashMismatch);
    }

    void pieceOfTheWrongSize()
    {
        const std::string data = fileBytes(2 * kPiece);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), 0, data.size(), 1);
        s.onMessage(snd.start());
        TransferChunk c;
        c.requestId = "r1";
        c.modelId = "m";
        c.chunkIndex = 1;
        c.totalChunks = 2;
        c.bytes = data.substr(kPiece, 100);
        s.onMessage(transferMessageJson(c));
        QCOMPARE(s.state(), RelayStream::State::Failed);
        QVERIFY2(s.failure().find("100 bytes, not 65536") != std::string::npos, s.failure().c_str());
    }

    void startNamingOtherBytes()
    {
        const std::string data = fileBytes(kPiece);
        Sender snd{data, "r1"};
        RelayStream s(targetFor(data), 0, data.size());
        s.onMessage(snd.start(std::string(64, '0')));
        QCOMPARE(s.state(), RelayStream::State::Failed);
        QCOMPARE(s.fault(), RelayStream::Fault::Mismatch);
        QVERIFY(!s.sizeProven());
        QVERIFY2(s.failure().find("not the catalog's") != std::string::npos, s.failure().c_str());
    }

    void senderCancels()
    {
        const std::string data = fileBytes(kPiece);
        RelayStream s(targetFor(data), 0, data.size());
        s.onMessage("{\"type\":\"model_transfer_cancel\",\"request_id\":\"r1\",\"model_id\":\"m\","
                    "\"reason\":\"storage_full\",\"message\":\"disk\\nfull\",\"cancelled_by\":\"a1b2c3d4e5f60718\"}");
        QCOMPARE(s.state(), RelayStream::State::Failed);
        QCOMPARE(s.fault(), RelayStream::Fault::Ended);
        QCOMPARE(s.failure(), std::string("cancelled the transfer (storage_full: disk full)"));
        QVERIFY(!s.cancelMessage("x")); // nothing to tell a sender that ended it
    }
};

ATMO_TEST_APPLESS_MAIN(TestRelayStream)
#include "tst_relay_stream.moc"
