#include "mesh_processes.h"

#include "core/base/sha256.h"

#include <QProcessEnvironment>
#include <QRegularExpression>

#include "testutil.h"

namespace testutil {

atmo::CatalogEntry entryFor(const std::filesystem::path& file, const std::string& id)
{
    atmo::CatalogEntry e;
    e.modelId = id;
    e.name = id;
    e.type = "llm";
    e.format = "gguf";
    e.sizeBytes = std::filesystem::file_size(file);
    e.sha256 = *atmo::sha256FileHex(file, {});
    e.version = "1.0";
    return e;
}

BridgeProcess::BridgeProcess(const std::filesystem::path& dir, const QString& fault)
{
    const QString script = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/tests/mesh/bridge_peer.py";
    dieWithTest(process_);
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start("/usr/bin/python3", {script, "--dir", QString::fromStdString(dir.string()), "--fault", fault});
    // Python may hand the line over in pieces: wait for a whole one.
    if (waitFor([this] { return process_.canReadLine() || (process_.waitForReadyRead(100) && process_.canReadLine()); },
                20000)) {
        const QByteArray line = process_.readLine().trimmed();
        if (line.startsWith("PORT "))
            port_ = line.mid(5).toInt();
    }
}

BridgeProcess::~BridgeProcess()
{
    process_.kill();
    process_.waitForFinished(5000);
}

ServeProcess::ServeProcess(const std::filesystem::path& home, const QStringList& extra)
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("ATMOSPHERE_HOME", QString::fromStdString(home.string()));
    process_.setProcessEnvironment(env);
    dieWithTest(process_);
    process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process_.start(cliPath(), QStringList{"serve", "--port", "0", "--bind", "127.0.0.1", "--no-library-defaults",
                                          "--no-mdns"} + extra);
    if (!process_.waitForStarted())
        return;
    static const QRegularExpression line("serving \\d+ models? on (http://127\\.0\\.0\\.1:\\d+)");
    QByteArray out;
    waitFor([&] {
        out += process_.readAllStandardOutput();
        const auto m = line.match(QString::fromUtf8(out));
        if (m.hasMatch())
            url_ = m.captured(1);
        return m.hasMatch() || process_.state() != QProcess::Running;
    }, 60000);
}

ServeProcess::~ServeProcess()
{
    if (process_.state() == QProcess::NotRunning)
        return;
    process_.terminate();
    if (!process_.waitForFinished(20000))
        process_.kill();
}

} // namespace testutil
