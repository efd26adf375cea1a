// Shared fixtures: sandboxed temporary directories, a real mission source
// directory on disk, keys and a trust store, and running the real CLI.
#pragma once

#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/package/minisign.h"
#include "core/package/trust_store.h"

namespace fs = std::filesystem;

namespace testutil {

// A temporary directory removed with the object.
class Sandbox {
public:
    Sandbox();
    fs::path path() const;
    fs::path operator/(const std::string& rel) const { return path() / rel; }

private:
    QTemporaryDir dir_;
};

void writeFile(const fs::path& path, const std::string& text);
void writeRandomFile(const fs::path& path, std::uint64_t size, std::uint32_t seed);
std::string readFile(const fs::path& path);
// Flips bits of the byte at `at` in place (big files are not read whole).
void flipByte(const fs::path& file, std::uint64_t at);
// Relative path -> bytes of every regular file ("-> target" for a link,
// "" for a directory, whose key ends in "/") under dir: to compare a tree
// before and after something that must not have changed it.
std::map<std::string, std::string> snapshotTree(const fs::path& dir);

// The node id of the station whose home is `home`, from its node key
// (<home>/station/node.key); "" when it has none yet. Never creates one.
QString stationNodeId(const fs::path& home);

struct MissionSpec {
    std::string id = "production-inspection";
    std::string name = "Production inspection";
    std::vector<int> tiers = {1, 2};
    std::uint64_t smallModelSize = 300 * 1024;  // tinyyolo-defects-1.3.onnx, tiers 1 and 2
    std::uint64_t largeModelSize = 700 * 1024;  // llama-edge-2.0.gguf, tier 2 only
};

// Writes a complete mission source directory: config/mission.yaml,
// config/llamafarm.yaml, two models, an agent, a tool and a knowledge file.
fs::path makeMission(const fs::path& dir, const MissionSpec& spec = {});

// A fresh key pair; the secret key unencrypted in memory.
atmo::SecretKey makeKey();

// A station home with `mesh` trusted as mesh authority (and `founder`, if
// given, as founder).
void trustKey(const fs::path& home, const atmo::SecretKey& key, atmo::TrustRole role,
              const std::string& name = "test key");

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

QString cliPath();                                  // build/bin/atmosphere
// Checks a failed CLI run: this exit code, and exactly one line on stderr,
// prefixed "atmosphere: ", containing every needle (a QVERIFY failure otherwise).
void expectOneLine(const CliRun& r, int exitCode, const QStringList& needles);

CliRun runCli(const QStringList& args, const fs::path& home, const QByteArray& stdinData = {},
              int timeoutMs = 120000);
// A `--json` run's stdout as one JSON object (empty when it is not one).
QJsonObject jsonOf(const CliRun& r);

// Rewrites a tar archive entry by entry (both uncompressed pax), letting
// `edit` change, drop or add entries; used to craft hostile packages.
struct RawEntry {
    std::string path;
    std::string data;
    char type = '0';        // '0' file, '2' symlink, '1' hardlink, '3' char device, '5' directory
    std::string linkTarget;
};
std::vector<RawEntry> readTarEntries(const fs::path& archive);
void writeTarEntries(const fs::path& archive, const std::vector<RawEntry>& entries);

// A loopback TCP port nobody listens on (bound, read, closed): for "the
// peer does not answer" cases.
int unusedPort();

// Polls pred every few milliseconds until it holds or msec pass.
bool waitFor(const std::function<bool()>& pred, int msec);

// Makes the process `p` will start die (SIGKILL) when the test process dies:
// a test that crashes must not leave its peers running, holding CTest's
// output pipe open until the test's whole timeout has passed. Call before
// start().
void dieWithTest(QProcess& p);

} // namespace testutil
