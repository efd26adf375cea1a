// What the core mDNS tests (tst_mdns, tst_mdns_bounds) share: the private
// avahi-daemon of tests/mdns/netns_avahi.sh (see tests/mdns/README.md), a
// recorder of what an atmo::Mdns reports, and python3-zeroconf peers run
// inside the harness's namespace with tests/mdns/zc_tool.py.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/mesh/mdns.h"

namespace testutil {

// Reads one line from a process's stdout within msec; "" when none came.
QString readProcessLine(QProcess& p, int msec);

// Collects what an Mdns reports, from Avahi's thread.
struct MdnsRecorder {
    std::mutex mutex;
    std::vector<atmo::MdnsPeer> found;
    std::vector<std::pair<atmo::MdnsPeer, std::string>> unresolved;
    std::vector<std::string> lost;
    std::vector<std::string> problems;
    std::vector<std::string> advertised;
    std::set<std::string> live;    // reported found or unresolved, not lost since
    std::size_t maxLive = 0;       // the most live at any one time
    int eventsAfterDestruction = 0;
    bool destroyed = false;

    std::optional<atmo::MdnsPeer> peer(const std::string& name);
    std::optional<std::pair<atmo::MdnsPeer, std::string>> unresolvedPeer(const std::string& name);
    int foundCount(const std::string& name);
    bool wasLost(const std::string& name);
    std::string lastAdvertised();
    std::string allProblems();
    int problemCount(const std::string& containing);
    void clear();
};

atmo::MdnsEvents eventsFor(const std::shared_ptr<MdnsRecorder>& r);

// One Mdns with its recorder.
struct MdnsNode {
    std::shared_ptr<MdnsRecorder> rec = std::make_shared<MdnsRecorder>();
    std::unique_ptr<atmo::Mdns> mdns;
};
// A started node; aborts the test run (qFatal) when the daemon is not there.
MdnsNode startMdnsNode();

atmo::MdnsAdvert makeAdvert(const std::string& nodeId, const std::string& name, std::uint16_t port);

// tests/mdns/netns_avahi.sh as a child process.
class AvahiHarness {
public:
    ~AvahiHarness();
    // Starts it and waits for READY. False with skipReason (cannot run
    // here: not root, a tool missing) or failure (set-up broke) otherwise.
    // On success sets DBUS_SYSTEM_BUS_ADDRESS for this process.
    bool start();
    // One stdin command (stop-avahi, deny-browse, ...); true on "OK <command>".
    bool command(const QString& command);
    // Tears it down; its exit code (0 when all went well).
    int quit();

    QString skipReason;
    QString failure;
    QString ns;       // network namespace
    QByteArray bus;   // D-Bus address of the private bus
    // "" when /usr/bin/python3 has zeroconf, else why not.
    QString pythonMissing;
    // `ip` arguments running zc_tool.py with these arguments in the namespace.
    QStringList pythonArgs(const QStringList& toolArgs) const;

private:
    QProcess process_;
    QString tool_;
};

} // namespace testutil
