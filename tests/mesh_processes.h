// Peers as child processes for the mesh tests, all on loopback:
// tests/mesh/bridge_peer.py (a model bridge that is not our code, with
// optional --fault modes) and `atmosphere serve` on a station home of its own.
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <filesystem>
#include <string>

#include "core/mesh/catalog_wire.h"

namespace testutil {

// The catalog entry a peer would give for `file` as model `id` (an llm in
// gguf, version 1.0, its real size and SHA-256).
atmo::CatalogEntry entryFor(const std::filesystem::path& file, const std::string& id);

class BridgeProcess {
public:
    // Serves the files in `dir`; fault: none | ignore-range | wrong-bytes | ... (see the script).
    explicit BridgeProcess(const std::filesystem::path& dir, const QString& fault = "none");
    ~BridgeProcess();
    bool ok() const { return port_ > 0; }
    int port() const { return port_; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

private:
    QProcess process_;
    int port_ = 0;
};

class ServeProcess {
public:
    // `atmosphere serve --port 0 --bind 127.0.0.1 --no-library-defaults --no-mdns` plus `extra`.
    explicit ServeProcess(const std::filesystem::path& home, const QStringList& extra = {});
    ~ServeProcess(); // SIGTERM, then kill
    bool ok() const { return !url_.isEmpty(); }
    QString url() const { return url_; }   // http://127.0.0.1:PORT, "" if it did not start
    QProcess& process() { return process_; }

private:
    QProcess process_;
    QString url_;
};

} // namespace testutil
