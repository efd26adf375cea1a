#include "testutil.h"

#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QProcessEnvironment>
#include <QTest>
#include <QThread>

#include <archive.h>
#include <archive_entry.h>

#include <fstream>
#include <random>
#include <stdexcept>

#include "core/base/node_key.h"
#include "core/package/trust_store.h"

namespace testutil {

Sandbox::Sandbox() { dir_.setAutoRemove(true); }

fs::path Sandbox::path() const { return fs::path(dir_.path().toStdString()); }

void writeFile(const fs::path& path, const std::string& text)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

void writeRandomFile(const fs::path& path, std::uint64_t size, std::uint32_t seed)
{
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    std::mt19937_64 rng(seed);
    std::vector<std::uint64_t> block(8192);
    while (size > 0) {
        for (auto& w : block)
            w = rng();
        const std::uint64_t n = std::min<std::uint64_t>(size, block.size() * 8);
        out.write(reinterpret_cast<const char*>(block.data()), static_cast<std::streamsize>(n));
        size -= n;
    }
}

std::string readFile(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

QString stationNodeId(const fs::path& home)
{
    auto key = atmo::NodeKey::load(home / "station" / "node.key");
    return key ? QString::fromStdString(key->nodeId()) : QString();
}

fs::path makeMission(const fs::path& dir, const MissionSpec& spec)
{
    std::string tiers;
    for (int t : spec.tiers)
        tiers += (tiers.empty() ? "" : ", ") + std::to_string(t);
    writeFile(dir / "config/mission.yaml",
              "id: " + spec.id + "\nname: " + spec.name + "\ntiers: [" + tiers + "]\n"
              "models:\n"
              "  tinyyolo-defects-1.3.onnx:\n    tiers: [1, 2]\n"
              "  llama-edge-2.0.gguf:\n    tiers: [2]\n");
    writeFile(dir / "config/llamafarm.yaml", "version: v1\nname: inspection\nruntime:\n  provider: ollama\n");
    writeRandomFile(dir / "models/tinyyolo-defects-1.3.onnx", spec.smallModelSize, 1);
    writeRandomFile(dir / "models/llama-edge-2.0.gguf", spec.largeModelSize, 2);
    writeFile(dir / "agents/inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\ntools: [camera]\n");
    writeFile(dir / "tools/camera-0.4.yaml", "name: camera\ndevice: /dev/video0\n");
    writeFile(dir / "knowledge/defects.chunks.jsonl",
              "{\"id\": 1, \"text\": \"scratch\"}\n{\"id\": 2, \"text\": \"dent\"}\n{\"id\": 3, \"text\": \"crack\"}\n");
    return dir;
}

void flipByte(const fs::path& file, std::uint64_t at)
{
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(at));
    const char c = static_cast<char>(f.get() ^ 0x40);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(c);
    if (!f)
        throw std::runtime_error(file.string() + ": cannot flip byte " + std::to_string(at));
}

std::map<std::string, std::string> snapshotTree(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    if (!fs::exists(dir))
        return out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        const std::string rel = fs::relative(e.path(), dir).string();
        if (e.is_symlink())
            out[rel] = "-> " + fs::read_symlink(e.path()).string();
        else if (e.is_regular_file())
            out[rel] = readFile(e.path());
        else
            out[rel + "/"] = "";
    }
    return out;
}

atmo::SecretKey makeKey() { return atmo::generateSecretKey(); }

void trustKey(const fs::path& home, const atmo::SecretKey& key, atmo::TrustRole role, const std::string& name)
{
    atmo::TrustStore store(home / "trust");
    auto r = store.add(key.publicKey(), role, name);
    if (!r)
        throw std::runtime_error(r.message());
}

QString cliPath()
{
    // CTest sets ATMO_BIN_DIR; run by hand, the CLI sits beside the test.
    const QByteArray dir = qgetenv("ATMO_BIN_DIR");
    if (!dir.isEmpty())
        return QString::fromLocal8Bit(dir) + "/atmosphere";
    return QCoreApplication::applicationDirPath() + "/atmosphere";
}

CliRun runCli(const QStringList& args, const fs::path& home, const QByteArray& stdinData, int timeoutMs)
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("ATMOSPHERE_HOME", QString::fromStdString(home.string()));
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    p.waitForStarted();
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    CliRun r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

std::vector<RawEntry> readTarEntries(const fs::path& file)
{
    std::vector<RawEntry> out;
    archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_filter_all(a);
    if (archive_read_open_filename(a, file.c_str(), 1 << 16) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
        RawEntry r;
        r.path = archive_entry_pathname(e);
        const auto ft = archive_entry_filetype(e);
        if (archive_entry_hardlink(e)) {
            r.type = '1';
            r.linkTarget = archive_entry_hardlink(e);
        } else if (ft == AE_IFLNK) {
            r.type = '2';
            r.linkTarget = archive_entry_symlink(e);
        } else if (ft == AE_IFDIR) {
            r.type = '5';
        } else if (ft == AE_IFCHR) {
            r.type = '3';
        }
        char buf[65536];
        la_ssize_t n;
        while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
            r.data.append(buf, static_cast<std::size_t>(n));
        out.push_back(std::move(r));
    }
    archive_read_free(a);
    return out;
}

void writeTarEntries(const fs::path& file, const std::vector<RawEntry>& entries)
{
    archive* a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    if (archive_write_open_filename(a, file.c_str()) != ARCHIVE_OK)
        throw std::runtime_error(archive_error_string(a));
    for (const auto& r : entries) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, r.path.c_str());
        archive_entry_set_perm(e, 0644);
        switch (r.type) {
        case '1':
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_hardlink(e, r.linkTarget.c_str());
            break;
        case '2':
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, r.linkTarget.c_str());
            break;
        case '3':
            archive_entry_set_filetype(e, AE_IFCHR);
            archive_entry_set_rdev(e, 0x0103);
            break;
        case '5':
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
            break;
        default:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_size(e, static_cast<la_int64_t>(r.data.size()));
        }
        archive_write_header(a, e);
        if (r.type == '0' && !r.data.empty())
            archive_write_data(a, r.data.data(), r.data.size());
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

QJsonObject jsonOf(const CliRun& r) { return QJsonDocument::fromJson(r.out.trimmed().toUtf8()).object(); }

int unusedPort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
        port = ntohs(a.sin_port);
    ::close(fd);
    return port;
}

bool waitFor(const std::function<bool()>& pred, int msec)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > msec)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        QThread::msleep(5);
    }
    return true;
}

void dieWithTest(QProcess& p)
{
    p.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

void expectOneLine(const CliRun& r, int exitCode, const QStringList& needles)
{
    QVERIFY2(r.exitCode == exitCode, qPrintable(QString("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
    const QString err = r.err.trimmed();
    QVERIFY2(!err.contains('\n'), qPrintable("more than one line: " + err));
    QVERIFY2(err.startsWith("atmosphere: "), qPrintable(err));
    for (const auto& n : needles)
        QVERIFY2(err.contains(n), qPrintable(QString("\"%1\" not in: %2").arg(n, err)));
}

} // namespace testutil
