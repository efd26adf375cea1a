// What tst_chunked_transfer shares: a ChunkedSender and a ChunkedReceiver
// wired through a small queue that can drop, duplicate, reorder and corrupt
// payloads (a Tamper), with an injected clock that jumps to the next
// deadline when nothing is in transit. The queue watches the protocol's rule
// from the wire: how many chunks are unacknowledged at most.
#pragma once

#include <QtTest>

#include <nlohmann/json.hpp>

#include <deque>
#include <functional>
#include <map>
#include <random>
#include <set>

#include "core/transfer/chunked_receiver.h"
#include "core/transfer/chunked_sender.h"
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

// One sender, one receiver, the relay between them.
struct Wire {
    ChunkedSender* sender = nullptr;
    ChunkedReceiver* receiver = nullptr;
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
