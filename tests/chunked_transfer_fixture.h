// What tst_chunked_transfer shares: a ChunkedSender and the receiving side
// a download uses (core's RelayStream, in StreamReceiver below) wired
// through a small queue that can drop, duplicate, reorder and corrupt
// payloads (a Tamper), with an injected clock that jumps to the next
// deadline when nothing is in transit. The queue watches the protocol's rule
// from the wire: how many chunks are unacknowledged at most.
#pragma once

#include <QtTest>

#include <nlohmann/json.hpp>

#include <deque>
#include <limits>
#include <optional>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "core/base/sha256.h"
#include "core/mesh/catalog_wire.h"
#include "core/transfer/chunked_sender.h"
#include "core/transfer/relay_stream.h"
#include "download_journal_fixture.h"

namespace chunked_fixture {

using namespace atmo;
using namespace std::chrono_literals;
using json = nlohmann::json;
using journal_fixture::kChunk; // 64 KiB, the protocol's chunk
using journal_fixture::randomBytes;

inline const SteadyTime t0 = SteadyTime() + 1000s;

inline std::string typeOf(const std::string& payload)
{
    const json j = json::parse(payload, nullptr, false);
    return j.is_object() && j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : "";
}

inline std::uint32_t indexOf(const std::string& payload) { return json::parse(payload)["chunk_index"].get<std::uint32_t>(); }

// What the queue does to one payload on its way: the payloads that arrive
// instead (none: dropped; two: duplicated; changed: corrupted).
using Tamper = std::function<std::vector<std::string>(bool toReceiver, const std::string& payload)>;

// The receiving side as a download runs it (app/relay/RelayRangeFetch): a
// RelayStream over the rest of the file from `from`, every byte taken as
// soon as it is there (into memory here, into the journal there), the
// whole file's SHA-256 checked at the end and told to the sender with
// model_transfer_complete; a stream that fails tells it with its cancel.
struct StreamReceiver {
    enum class State { Waiting, Receiving, Verified, Failed };

    StreamReceiver(const CatalogEntry& entry, const std::string& requestId, std::uint64_t from = 0,
                   std::string have = {})
        : stream({entry.modelId, entry.sizeBytes, entry.sha256, "a1b2c3d4e5f60718", "b2c3d4e5f6071829", requestId},
                 from, entry.sizeBytes),
          got(std::move(have)), expected(entry.sha256), fileName(entry.modelId + "." + entry.format)
    {
    }
    std::string requestMessage() const { return stream.requestMessage(); }
    ModelRequest request() const { return std::get<ModelRequest>(*parseTransferMessage(requestMessage())); }

    std::vector<std::string> onMessage(const std::string& text, SteadyTime)
    {
        if (ended)
            return {};
        if (auto parsed = parseTransferMessage(text); parsed && std::holds_alternative<TransferCancel>(*parsed) &&
                                                        std::get<TransferCancel>(*parsed).requestId ==
                                                            stream.target().requestId)
            cancel = std::get<TransferCancel>(*parsed);
        std::vector<std::string> out = stream.onMessage(text);
        while (auto t = stream.take(std::numeric_limits<std::uint64_t>::max())) {
            got += t->bytes;
            bytesTaken += t->bytes.size();
            if (t->ack)
                out.push_back(*t->ack);
        }
        if (stream.state() == RelayStream::State::Done) {
            ended = true;
            verified = sha256Hex(got) == expected;
            out.push_back(stream.completeMessage(sha256Hex(got), fileName));
        } else if (stream.state() == RelayStream::State::Failed) {
            ended = true;
            if (auto c = stream.cancelMessage({})) {
                cancel = std::get<TransferCancel>(*parseTransferMessage(*c));
                out.push_back(*c);
            }
        }
        return out;
    }
    // The download's own timers (stall) are not this side's.
    std::optional<SteadyTime> nextDeadline() const { return std::nullopt; }
    std::vector<std::string> onTimer(SteadyTime) { return {}; }

    State state() const
    {
        if (ended)
            return verified ? State::Verified : State::Failed;
        return stream.sizeProven() || bytesTaken > 0 ? State::Receiving : State::Waiting;
    }
    bool finished() const { return ended; }
    const std::optional<TransferCancel>& cancellation() const { return cancel; }
    std::uint32_t duplicateChunks() const { return stream.duplicates(); }
    std::uint32_t badCopies() const { return stream.badCopies(); }

    RelayStream stream;
    std::string got;
    std::string expected;
    std::string fileName;
    std::uint64_t bytesTaken = 0; // by this receiver (not what it was given to resume from)
    std::uint32_t piecesTaken() const { return std::uint32_t((bytesTaken + kChunk - 1) / kChunk); }
    bool ended = false;
    bool verified = false;
    std::optional<TransferCancel> cancel;
};

// One sender, one receiver, the relay between them.
struct Wire {
    ChunkedSender* sender = nullptr;
    StreamReceiver* receiver = nullptr;
    SteadyTime now = t0;
    Tamper tamper;
    bool reorder = false;
    std::mt19937 rng{42};

    struct Msg {
        bool toReceiver;
        std::string text;
    };
    std::deque<Msg> queue;

    // Seen on the wire.
    std::map<std::uint32_t, std::vector<SteadyTime>> chunkSends; // index -> when the sender sent it
    std::set<std::uint32_t> unacked;   // sent, and no ack delivered to the sender yet
    std::size_t maxUnacked = 0;
    std::uint32_t chunkMessages = 0;

    void fromSender(const std::vector<std::string>& out)
    {
        for (const auto& text : out) {
            if (typeOf(text) == "model_transfer_chunk") {
                const auto i = indexOf(text);
                chunkSends[i].push_back(now);
                unacked.insert(i);
                maxUnacked = std::max(maxUnacked, unacked.size());
                ++chunkMessages;
            }
            put(true, text);
        }
    }
    void fromReceiver(const std::vector<std::string>& out)
    {
        for (const auto& text : out)
            put(false, text);
    }
    void put(bool toReceiver, const std::string& text)
    {
        const auto arriving = tamper ? tamper(toReceiver, text) : std::vector<std::string>{text};
        for (const auto& t : arriving)
            queue.push_back({toReceiver, t});
    }

    void deliverOne()
    {
        std::size_t pick = 0;
        if (reorder)
            pick = std::uniform_int_distribution<std::size_t>(0, queue.size() - 1)(rng);
        const Msg m = queue[pick];
        queue.erase(queue.begin() + std::ptrdiff_t(pick));
        if (m.toReceiver) {
            if (receiver)
                fromReceiver(receiver->onMessage(m.text, now));
        } else if (sender) {
            if (typeOf(m.text) == "model_transfer_chunk_ack")
                if (auto r = parseTransferMessage(m.text); r && std::holds_alternative<ChunkAck>(*r))
                    unacked.erase(std::get<ChunkAck>(*r).chunkIndex);
            fromSender(sender->onMessage(m.text, now));
        }
    }

    bool done() const
    {
        return (!sender || sender->finished() || sender->state() == ChunkedSender::State::AllAcked) &&
               (!receiver || receiver->finished());
    }

    // Delivers everything; when nothing is in transit, lets the clock jump to
    // the next deadline. Stops when both ends are done, nothing is due, or
    // `until` holds.
    void run(const std::function<bool()>& until = {})
    {
        for (int steps = 0; steps < 1'000'000; ++steps) {
            if (until && until())
                return;
            if (!queue.empty()) {
                deliverOne();
                continue;
            }
            if (done())
                return;
            std::optional<SteadyTime> next;
            for (auto d : {sender ? sender->nextDeadline() : std::nullopt,
                           receiver ? receiver->nextDeadline() : std::nullopt})
                if (d && (!next || *d < *next))
                    next = d;
            if (!next)
                return;
            now = std::max(now, *next);
            if (sender)
                fromSender(sender->onTimer(now));
            if (receiver)
                fromReceiver(receiver->onTimer(now));
        }
        QFAIL("the transfer did not settle");
    }
};

// Changes one field of a chunk payload and keeps the rest.
inline std::string withField(const std::string& payload, const char* key, const json& value)
{
    json j = json::parse(payload);
    j[key] = value;
    return j.dump();
}

} // namespace chunked_fixture
