// tests/relay/atmo_relay.py as a child process on 127.0.0.1: the mesh's
// relay for the relay tests (found through ATMO_SOURCE_DIR, which CTest
// passes), and tests/relay/mesh_node.py, a node of the mesh written the way
// the mesh's Python nodes are. Header-only, shared by the relay tests.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include "testutil.h"

namespace testutil {

class RelayProcess {
public:
    // extra: atmo_relay.py's flags (--first-frame-timeout 2, --no-pong, ...).
    explicit RelayProcess(const QStringList& extra = {}) : extra_(extra) { start(0); }
    ~RelayProcess() { kill(); }
    RelayProcess(const RelayProcess&) = delete;
    RelayProcess& operator=(const RelayProcess&) = delete;

    bool ok() const { return port_ > 0 && process_.state() == QProcess::Running; }
    int port() const { return port_; }
    QString url() const { return QStringLiteral("ws://127.0.0.1:%1").arg(port_); }
    QString meshUrl(const QString& meshId) const { return url() + "/relay/" + meshId; }

    void kill()
    {
        if (process_.state() == QProcess::NotRunning)
            return;
        process_.kill();
        process_.waitForFinished(5000);
    }
    // A new relay process on the same port, knowing nothing (the mesh's
    // relay keeps meshes, founders and nonces in memory).
    bool restart()
    {
        kill();
        const int port = port_;
        port_ = 0;
        start(port);
        return ok() && port_ == port;
    }

private:
    void start(int port)
    {
        const QString script = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/relay/atmo_relay.py";
        dieWithTest(process_);
        process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process_.start("/usr/bin/python3", QStringList{script, "--port", QString::number(port)} + extra_);
        if (!process_.waitForStarted(10000))
            return;
        // Python may hand the line over in pieces: wait for a whole one.
        if (waitFor([this] { return process_.canReadLine() || (process_.waitForReadyRead(100) && process_.canReadLine()); },
                    20000)) {
            const QByteArray line = process_.readLine().trimmed();
            if (line.startsWith("LISTENING "))
                port_ = line.mid(10).toInt();
        }
    }

    QStringList extra_;
    QProcess process_;
    int port_ = 0;
};

// tests/relay/mesh_node.py joined to a mesh on the relay (`args` from its
// mode on: serve FILE MODEL_ID ... | fetch TARGET MODEL_ID OUT).
class MeshNodeProcess {
public:
    MeshNodeProcess() = default;
    ~MeshNodeProcess()
    {
        process.kill();
        process.waitForFinished(5000);
    }
    MeshNodeProcess(const MeshNodeProcess&) = delete;
    MeshNodeProcess& operator=(const MeshNodeProcess&) = delete;

    // True once it printed JOINED.
    bool start(const QString& meshUrl, const QString& tokenFile, const QString& nodeId, const QStringList& args)
    {
        const QString script = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/relay/mesh_node.py";
        dieWithTest(process);
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start("/usr/bin/python3", QStringList{script, meshUrl, tokenFile, nodeId} + args);
        return process.waitForStarted(10000) && waitLine("JOINED");
    }
    // Waits for a line starting with `prefix` (all output so far is in `out`).
    bool waitLine(const QByteArray& prefix, int ms = 60000)
    {
        return waitFor([&] {
            out += process.readAllStandardOutput();
            return has(prefix) || process.state() != QProcess::Running;
        }, ms) && has(prefix);
    }
    bool has(const QByteArray& prefix) const { return out.contains("\n" + prefix) || out.startsWith(prefix); }

    QProcess process;
    QByteArray out;
};

} // namespace testutil
