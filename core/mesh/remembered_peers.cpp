#include "core/mesh/remembered_peers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <system_error>

#include "core/base/fs_util.h"
#include "core/mesh/mesh_peer.h"

namespace atmo {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

constexpr std::uint64_t kMaxFileBytes = 1u << 20;
constexpr std::size_t kMaxText = 256;
constexpr int kMaxRememberedDepth = 8;

std::string trimmedEndpoint(std::string e)
{
    while (!e.empty() && e.back() == '/')
        e.pop_back();
    return e;
}

} // namespace

RememberedPeers::RememberedPeers(fs::path file) : file_(std::move(file)) {}

void RememberedPeers::load()
{
    peers_.clear();
    warning_.clear();
    std::error_code ec;
    if (!fs::exists(file_, ec))
        return;
    std::string problem;
    json doc;
    if (auto text = readFile(file_, kMaxFileBytes); !text) {
        problem = text.message();
    } else {
        try {
            doc = json::parse(text->begin(), text->end(),
                              [](int depth, json::parse_event_t, json&) { return depth <= kMaxRememberedDepth; });
        } catch (const json::exception&) {
            problem = "not valid JSON";
        }
    }
    const auto list = doc.is_object() ? doc.find("peers") : doc.end();
    if (problem.empty() && (!doc.is_object() || list == doc.end() || !list->is_array()))
        problem = "expected a JSON object with a \"peers\" list";
    if (!problem.empty()) {
        // Moved aside, so it is reported once and can still be looked at.
        fs::path aside = file_;
        aside += ".corrupt";
        fs::rename(file_, aside, ec);
        warning_ = file_.string() + ": " + problem + "; starting with no remembered peers" +
                   (ec ? std::string() : " (the file was moved to " + aside.filename().string() + ")");
        return;
    }
    std::size_t skipped = 0;
    for (const auto& j : *list) {
        const auto str = [&j](const char* key) -> std::string {
            const auto f = j.is_object() ? j.find(key) : j.end();
            return (f != j.end() && f->is_string() && f->get_ref<const std::string&>().size() <= kMaxText)
                       ? f->get<std::string>()
                       : std::string();
        };
        RememberedPeer p;
        p.endpoint = trimmedEndpoint(str("endpoint"));
        if (!j.is_object() || !isValidPeerEndpoint(p.endpoint) || peers_.size() >= kMaxPeers) {
            ++skipped;
            continue;
        }
        p.nodeId = str("node_id");
        p.nodeName = str("node_name");
        if (const auto t = j.find("last_reachable_ms"); t != j.end() && t->is_number_integer())
            p.lastReachableMs = t->get<std::int64_t>();
        if (const auto h = j.find("added_by_hand"); h != j.end() && h->is_boolean())
            p.addedByHand = h->get<bool>();
        peers_.push_back(std::move(p));
    }
    if (skipped > 0)
        warning_ = file_.string() + ": skipped " + std::to_string(skipped) + " malformed or surplus entr" +
                   (skipped == 1 ? "y" : "ies");
}

void RememberedPeers::reached(const RememberedPeer& peerIn)
{
    RememberedPeer peer = peerIn;
    peer.endpoint = trimmedEndpoint(peer.endpoint);
    if (!isValidPeerEndpoint(peer.endpoint))
        return;
    auto same = std::find_if(peers_.begin(), peers_.end(), [&](const RememberedPeer& p) {
        return peer.nodeId.empty() ? p.endpoint == peer.endpoint : p.nodeId == peer.nodeId;
    });
    if (same == peers_.end())
        same = std::find_if(peers_.begin(), peers_.end(),
                            [&](const RememberedPeer& p) { return p.nodeId.empty() && p.endpoint == peer.endpoint; });
    bool byHand = false;
    if (same != peers_.end()) {
        byHand = same->addedByHand;
        if (peer.nodeName.empty())
            peer.nodeName = same->nodeName;
        peers_.erase(same);
    }
    // The address now belongs to this node (a hand-made entry for it stays one).
    peers_.erase(std::remove_if(peers_.begin(), peers_.end(),
                                [&](const RememberedPeer& p) {
                                    if (p.endpoint != peer.endpoint)
                                        return false;
                                    byHand = byHand || p.addedByHand;
                                    return true;
                                }),
                 peers_.end());
    peer.addedByHand = peer.addedByHand || byHand;
    peers_.push_back(std::move(peer));
    trim();
}

Status RememberedPeers::add(const std::string& endpointIn, const std::string& nodeName)
{
    const std::string endpoint = trimmedEndpoint(endpointIn);
    if (!isValidPeerEndpoint(endpoint))
        return fail(endpointIn + ": not a peer address (expected http://host:port)");
    for (auto& p : peers_) {
        if (p.endpoint == endpoint) {
            p.addedByHand = true;
            if (!nodeName.empty())
                p.nodeName = nodeName;
            return {};
        }
    }
    peers_.push_back({{}, nodeName, endpoint, 0, true});
    trim();
    return {};
}

bool RememberedPeers::remove(std::string_view key)
{
    const std::string endpoint = trimmedEndpoint(std::string(key));
    const auto before = peers_.size();
    peers_.erase(std::remove_if(peers_.begin(), peers_.end(),
                                [&](const RememberedPeer& p) {
                                    return (!p.nodeId.empty() && p.nodeId == key) || p.endpoint == endpoint;
                                }),
                 peers_.end());
    return peers_.size() != before;
}

void RememberedPeers::trim()
{
    while (peers_.size() > kMaxPeers) {
        // The one to drop: not added by hand if any such is left, then reached longest ago.
        auto victim = std::min_element(peers_.begin(), peers_.end(), [](const RememberedPeer& a, const RememberedPeer& b) {
            if (a.addedByHand != b.addedByHand)
                return !a.addedByHand;
            return a.lastReachableMs < b.lastReachableMs;
        });
        peers_.erase(victim);
    }
}

std::string RememberedPeers::toJson(const std::vector<RememberedPeer>& peers)
{
    ojson list = ojson::array();
    for (const auto& p : peers) {
        ojson j = ojson::object();
        j["node_id"] = p.nodeId;
        j["node_name"] = p.nodeName;
        j["endpoint"] = p.endpoint;
        j["last_reachable_ms"] = p.lastReachableMs;
        j["added_by_hand"] = p.addedByHand;
        list.push_back(std::move(j));
    }
    ojson doc = ojson::object();
    doc["version"] = 1;
    doc["peers"] = std::move(list);
    return doc.dump(1, ' ', false, ojson::error_handler_t::replace) + "\n";
}

Status RememberedPeers::save() const
{
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    return writeFileAtomic(file_, toJson(peers_), 0600);
}

} // namespace atmo
