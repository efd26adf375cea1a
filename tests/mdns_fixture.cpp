#include "mdns_fixture.h"

#include <QDeadlineTimer>
#include <QTest>

#include <algorithm>

namespace testutil {

QString readProcessLine(QProcess& p, int msec)
{
    QDeadlineTimer deadline(msec);
    while (!p.canReadLine()) {
        if (p.state() == QProcess::NotRunning || deadline.hasExpired())
            return {};
        p.waitForReadyRead(int(std::max<qint64>(1, std::min<qint64>(200, deadline.remainingTime()))));
    }
    return QString::fromUtf8(p.readLine()).trimmed();
}

std::optional<atmo::MdnsPeer> MdnsRecorder::peer(const std::string& name)
{
    std::lock_guard lock(mutex);
    for (auto it = found.rbegin(); it != found.rend(); ++it)
        if (it->instanceName == name)
            return *it;
    return std::nullopt;
}

std::optional<std::pair<atmo::MdnsPeer, std::string>> MdnsRecorder::unresolvedPeer(const std::string& name)
{
    std::lock_guard lock(mutex);
    for (auto it = unresolved.rbegin(); it != unresolved.rend(); ++it)
        if (it->first.instanceName == name)
            return *it;
    return std::nullopt;
}

int MdnsRecorder::foundCount(const std::string& name)
{
    std::lock_guard lock(mutex);
    return int(std::count_if(found.begin(), found.end(),
                             [&](const atmo::MdnsPeer& p) { return p.instanceName == name; }));
}

bool MdnsRecorder::wasLost(const std::string& name)
{
    std::lock_guard lock(mutex);
    return std::find(lost.begin(), lost.end(), name) != lost.end();
}

std::string MdnsRecorder::lastAdvertised()
{
    std::lock_guard lock(mutex);
    return advertised.empty() ? std::string() : advertised.back();
}

std::string MdnsRecorder::allProblems()
{
    std::lock_guard lock(mutex);
    std::string s;
    for (const auto& p : problems)
        s += p + "\n";
    return s;
}

int MdnsRecorder::problemCount(const std::string& containing)
{
    std::lock_guard lock(mutex);
    return int(std::count_if(problems.begin(), problems.end(),
                             [&](const std::string& p) { return p.find(containing) != std::string::npos; }));
}

void MdnsRecorder::clear()
{
    std::lock_guard lock(mutex);
    found.clear();
    unresolved.clear();
    lost.clear();
    problems.clear();
    advertised.clear();
}

atmo::MdnsEvents eventsFor(const std::shared_ptr<MdnsRecorder>& r)
{
    // Called with r->mutex held.
    auto note = [r] {
        if (r->destroyed)
            ++r->eventsAfterDestruction;
    };
    auto alive = [r](const std::string& name) {
        r->live.insert(name);
        r->maxLive = std::max(r->maxLive, r->live.size());
    };
    atmo::MdnsEvents e;
    e.peerFound = [r, note, alive](const atmo::MdnsPeer& p) {
        std::lock_guard l(r->mutex);
        note();
        r->found.push_back(p);
        alive(p.instanceName);
    };
    e.peerUnresolved = [r, note, alive](const atmo::MdnsPeer& p, const std::string& why) {
        std::lock_guard l(r->mutex);
        note();
        r->unresolved.emplace_back(p, why);
        alive(p.instanceName);
    };
    e.peerLost = [r, note](const std::string& n) {
        std::lock_guard l(r->mutex);
        note();
        r->lost.push_back(n);
        r->live.erase(n);
    };
    e.problem = [r, note](const std::string& m) {
        std::lock_guard l(r->mutex);
        note();
        r->problems.push_back(m);
    };
    e.advertised = [r, note](const std::string& n) {
        std::lock_guard l(r->mutex);
        note();
        r->advertised.push_back(n);
    };
    return e;
}

MdnsNode startMdnsNode()
{
    MdnsNode n;
    auto started = atmo::Mdns::start(eventsFor(n.rec));
    if (!started)
        qFatal("Mdns::start: %s", started.message().c_str());
    n.mdns = std::move(started.value());
    return n;
}

atmo::MdnsAdvert makeAdvert(const std::string& nodeId, const std::string& name, std::uint16_t port)
{
    atmo::MdnsAdvert a;
    a.nodeId = nodeId;
    a.instanceName = name;
    a.port = port;
    a.meshId = "mesh-test";
    a.capabilities = {"models", "packages"};
    return a;
}

AvahiHarness::~AvahiHarness()
{
    if (process_.state() != QProcess::NotRunning)
        quit();
}

bool AvahiHarness::start()
{
    const QString script = QFINDTESTDATA("mdns/netns_avahi.sh");
    tool_ = QFINDTESTDATA("mdns/zc_tool.py");
    if (script.isEmpty() || tool_.isEmpty()) {
        failure = "tests/mdns/ not found";
        return false;
    }
    process_.setProcessChannelMode(QProcess::SeparateChannels);
    process_.start("bash", {script});
    if (!process_.waitForStarted(10000)) {
        skipReason = "mDNS: cannot run bash for the harness";
        return false;
    }
    const QString line = readProcessLine(process_, 60000);
    if (line.startsWith("SKIP ")) {
        skipReason = line.mid(5);
        process_.waitForFinished(10000);
        return false;
    }
    const QStringList parts = line.split(' ');
    if (!line.startsWith("READY ") || parts.size() != 4) {
        process_.waitForFinished(10000);
        failure = "the mDNS harness failed: " + (line.isEmpty() ? QString("no answer") : line) + "\n"
            + process_.readAllStandardError();
        return false;
    }
    ns = parts[1];
    bus = parts[2].toUtf8();
    // avahi-client reads the system bus address from here on each connect.
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", bus);

    QProcess py;
    py.start("/usr/bin/python3", {"-c", "import zeroconf"});
    if (!py.waitForFinished(30000) || py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0)
        pythonMissing = "python3-zeroconf is not installed for /usr/bin/python3";
    return true;
}

bool AvahiHarness::command(const QString& command)
{
    process_.write(command.toUtf8() + "\n");
    const QString answer = readProcessLine(process_, 30000);
    if (answer != "OK " + command)
        qWarning("harness answered '%s' to %s: %s", qPrintable(answer), qPrintable(command),
                 process_.readAllStandardError().constData());
    return answer == "OK " + command;
}

int AvahiHarness::quit()
{
    if (process_.state() == QProcess::NotRunning)
        return process_.exitCode();
    process_.write("quit\n");
    process_.closeWriteChannel();
    if (!process_.waitForFinished(30000)) {
        process_.terminate();
        process_.waitForFinished(10000);
    }
    return process_.exitCode();
}

QStringList AvahiHarness::pythonArgs(const QStringList& toolArgs) const
{
    return QStringList{"netns", "exec", ns, "/usr/bin/python3", tool_} + toolArgs;
}

} // namespace testutil
